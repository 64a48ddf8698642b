"""Events that name a thing the platform keeps (a study session, a quiz): checked against it,
and completed from it, before they are priced.

Each kind of reference has one checker, keyed by the event type that carries it. A checker gets
the request's shape-checked events of its type (position, event) inside the intake transaction,
may fill in what the sender left out (an attendance status derived from the session's start),
and returns an error by position for each event it refuses (marshmallow's shape:
``{"data": {"session": ["..."]}}``). What an event naming a thing the platform does not know
becomes is the organisation's ``UNKNOWN_ACTIVITY`` setting, handed to every checker:
``ad_hoc`` (the default: recorded as sent, so senders built before sessions and quizzes were
kept go on working) or ``refuse`` (a 422 naming it).

Each kind may also have a follow-up, called by ``record`` in the same transaction with the
events of its type that were new (recorded and priced: replays and refused ones are not), to
keep its own record of them (a study session's attendance, and the correction of an absence
that a late sign-in replaces).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.points.quizzes import checker as quizzes
from services.points.sessions import attendance
from services.settings import UNKNOWN_CHOICES

AD_HOC, REFUSE = UNKNOWN_CHOICES  # the first is the default

Checked = list[tuple[int, dict[str, Any]]]
Checker = Callable[[Session, Checked, str], dict[int, dict[str, Any]]]
# (the event as recorded, our event id, the member row (id, staff_no, unit_id, active))
Recorded = list[tuple[dict[str, Any], int, Any]]
FollowUp = Callable[[Session, Recorded, str, datetime], None]

# Event type -> its checker. Each activity's module adds its own line here.
CHECKERS: dict[str, Checker] = {
    "attendance": attendance.check,
    "quiz": quizzes.check,
}
# Event type -> its follow-up, likewise.
FOLLOW_UPS: dict[str, FollowUp] = {
    "attendance": attendance.follow_up,
}


def check(session: Session, events: Checked, unknown: str) -> tuple[Checked, dict[int, Any]]:
    """The events that pass their checker (completed by it), and the errors of the others."""
    by_type: dict[str, Checked] = {}
    for index, event in events:
        if event["type"] in CHECKERS:
            by_type.setdefault(event["type"], []).append((index, event))
    errors: dict[int, Any] = {}
    for event_type, of_type in by_type.items():
        errors |= CHECKERS[event_type](session, of_type, unknown)
    return [(i, e) for i, e in events if i not in errors], errors


def follow_up(session: Session, recorded: Recorded, zone_name: str, now: datetime) -> None:
    """Hand each type's new events to its follow-up."""
    by_type: dict[str, Recorded] = {}
    for item in recorded:
        if item[0]["type"] in FOLLOW_UPS:
            by_type.setdefault(item[0]["type"], []).append(item)
    for event_type, of_type in by_type.items():
        FOLLOW_UPS[event_type](session, of_type, zone_name, now)
