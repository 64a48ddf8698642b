"""The names members read for the platform's built-in kinds, in every language the platform
speaks (gettext, services/common/i18n.py): the points service's explanations and the gateway's
pages say them the same way. A kind not named here is shown as it is named.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Names members read for the built-in event types and categories; others are shown as named.
LABELS = {
    "attendance": _l("Attendance"),
    "quiz": _l("Quiz"),
    "practice_report": _l("Practice report"),
    "practice": _l("Practice"),
    "streak": _l("Streak"),
    "badge": _l("Badge"),
    "study": _l("Study"),
    "custom": _l("Custom"),
}
STATUSES = {
    "on_time": _l("on time"),
    "late": _l("late"),
    "absent": _l("absent"),
    "excused": _l("excused"),
}
PERIODS = {
    "day": _l("daily"),
    "week": _l("weekly"),
    "month": _l("monthly"),
    "quarter": _l("quarterly"),
    "year": _l("yearly"),
    "all": _l("lifetime"),
}
