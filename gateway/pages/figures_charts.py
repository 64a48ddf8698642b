"""The charts of the figures page, as ECharts options built from the analytics API's answers
(plain values in, plain values out; a template puts each option in ``data-chart``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# The funnel's stages, widest first: how many of the unit's members got that far.
STAGES = (
    ("members", _l("Members")),
    ("active", _l("Active in the period")),
    ("took_quiz", _l("Took part in quizzes")),
    ("mastered", _l("Mastered a quiz")),
    ("reported", _l("Wrote practice reports")),
    ("approved", _l("Report approved")),
    ("exemplary", _l("Exemplary report")),
)


def funnel_option(funnel: dict[str, Any]) -> dict[str, Any]:
    """One bar per stage, leaders and staff stacked, so the leaders' part shows at a glance."""
    names = [str(label) for _key, label in STAGES][::-1]
    series = [
        {
            "name": str(name),
            "type": "bar",
            "stack": "people",
            "label": {"show": True, "position": "inside"},
            "data": [funnel[group][key] for key, _label in STAGES][::-1],
        }
        for group, name in (("leaders", _l("Leaders")), ("staff", _l("Staff")))
    ]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1, "name": _("members")},
        "yAxis": {"type": "category", "data": names},
        "color": ["#c62828", "#90a4ae"],
        "series": series,
    }


def trend_option(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Points per member and day on the left axis; activity and attendance (percent) on the
    right."""

    def percents(key: str) -> list[float | None]:
        return [None if i[key] is None else round(i[key] * 100, 1) for i in items]

    labels = [format_date(date.fromisoformat(i["from"]), "M/d") for i in items]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        # The legend below: above, it runs into the axes' names on a phone.
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 8, "top": 40, "bottom": 36, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": [
            {"type": "value", "name": _("Points per member and day")},
            {"type": "value", "name": "%", "min": 0, "max": 100},
        ],
        "color": ["#c62828", "#1565c0", "#2e7d32"],
        "series": [
            {
                "name": _("Points per member and day"),
                "type": "bar",
                "data": [i["per_capita_daily"] for i in items],
            },
            {
                "name": _("Activity rate"),
                "type": "line",
                "yAxisIndex": 1,
                "data": percents("activity_rate"),
            },
            {
                "name": _("Attendance rate"),
                "type": "line",
                "yAxisIndex": 1,
                "connectNulls": True,
                "data": percents("attendance_rate"),
            },
        ],
    }
