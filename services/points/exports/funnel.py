"""The learning funnel of the unit for the period, as the figures page shows it: one row per
figure, for everyone and for the leaders beside their staff (services/points/analytics)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.points.analytics import reads
from services.points.exports.tables import Cell, Scope, Table
from services.points.exports.words import _l

GROUPS = ("all", "leaders", "staff")
# (figure, label, a rate shown in per cent); the labels are the figures page's own.
ROWS = (
    ("members", _l("Members"), False),
    ("expected", _l("Expected at sessions"), False),
    ("attended", _l("Attended (on time or late)"), False),
    ("attendance_rate", _l("Attendance rate (%)"), True),
    ("took_quiz", _l("Took part in quizzes"), False),
    ("mastered", _l("Mastered a quiz"), False),
    ("reported", _l("Wrote practice reports"), False),
    ("approved", _l("Report approved"), False),
    ("exemplary", _l("Exemplary report"), False),
    ("points", _l("Points"), False),
    ("per_capita_daily", _l("Points per member and day"), False),
    ("active", _l("Active in the period"), False),
    ("activity_rate", _l("Activity rate (%)"), True),
)


def funnel(session: Session, scope: Scope) -> Table:
    say = scope.say
    period = (scope.starts_on, scope.ends_on)
    found = reads.funnel(session, scope.unit_id, period, scope.timezone, datetime.now(UTC))
    rows: list[list[Cell]] = [
        [say(label), *(_cell(found[group][name], rate) for group in GROUPS)]
        for name, label, rate in ROWS
    ]
    headings = [say(_l("Figure")), say(_l("All")), say(_l("Leaders")), say(_l("Staff"))]
    return Table("funnel", say(_l("From members to exemplary practice")), headings, rows)


def _cell(value: float | int | None, rate: bool) -> Cell:
    if value is None or not rate:
        return value
    return round(100 * value, 1)
