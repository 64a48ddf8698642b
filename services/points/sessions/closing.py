"""Closing a study session: every expected member with no record gets one, as the platform's
own attendance events through the intake's code path (sender ``platform:sessions``):
``absent``, or ``excused`` for a member whose excuse was approved. Their ids are stable
(``absent:<session>:<staff_no>``, ``excused:<session>:<staff_no>``) and their content too (they
occur at the session's start), so closing again, by hand or by the job, in two workers at once,
records nothing more: intake inserts each id once and answers the rest as replays. Closing also
marks who was expected (``expected``) and when the session was first closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.errors import Conflict
from services.points.delivery import events as delivery_events
from services.points.intake.record import record
from services.points.rules.published import RuleBook
from services.points.sessions import expected
from services.points.sessions.attendance import lock_sessions
from services.points.sessions.models import Attendance, Excuse, StudySession, public_id

SENDER = "platform:sessions"


def platform_event(study: StudySession, staff_no: str, status: str) -> dict[str, Any]:
    name = public_id(study.id)
    return {
        "id": f"{status}:{name}:{staff_no}",
        "type": "attendance",
        "member": staff_no,
        "occurred_at": study.starts_at,
        "data": {"session": name, "status": status},
    }


def close(
    session: Session, study_id: int, rules: RuleBook, zone_name: str, now: datetime
) -> dict[str, Any]:
    """Close one session (locked for the transaction); what this call recorded."""
    study = lock_sessions(session, [study_id])[study_id]
    name = public_id(study.id)
    if study.cancelled_at is not None:
        raise Conflict(f"Session {name} was cancelled; cancelled sessions are not closed.")
    if study.starts_at > now:
        raise Conflict(f"Session {name} has not started; it closes after its start.")
    attendees = expected.members(session, study)
    recorded = set(
        session.scalars(select(Attendance.member_id).where(Attendance.session_id == study.id))
    )
    excused = set(
        session.scalars(
            select(Excuse.member_id).where(
                Excuse.session_id == study.id, Excuse.state == "approved"
            )
        )
    )
    missing = [m for m in attendees if m.id not in recorded]
    events = [
        (i, platform_event(study, m.staff_no, "excused" if m.id in excused else "absent"))
        for i, m in enumerate(missing)
    ]
    outcomes = record(session, SENDER, events, rules, zone_name, now) if events else {}
    _mark_expected(session, study, [m.id for m in attendees])
    if study.closed_at is None:
        study.closed_at = now
        absent = [m.id for m in missing if m.id not in excused]
        delivery_events.session_closed(session, study, absent)  # once: at the first closing
    session.flush()
    new = [events[i][1] for i, o in outcomes.items() if o.status == 201]
    refused = {
        events[i][1]["member"]: o.body.get("errors") or o.body for i, o in outcomes.items()
        if o.status >= 400
    }  # fmt: skip
    return {
        "absent": sum(1 for e in new if e["data"]["status"] == "absent"),
        "excused": sum(1 for e in new if e["data"]["status"] == "excused"),
        "refused": refused,
    }


def _mark_expected(session: Session, study: StudySession, member_ids: list[int]) -> None:
    if study.closed_at is not None or not member_ids:
        return  # the first closing fixed who was expected
    for start in range(0, len(member_ids), 500):
        session.execute(
            update(Attendance)
            .where(
                Attendance.session_id == study.id,
                Attendance.member_id.in_(member_ids[start : start + 500]),
            )
            .values(expected=True)
        )


def due(session: Session, now: datetime, after_minutes: int, limit: int = 100) -> list[int]:
    """Sessions whose end was ``after_minutes`` ago or more, neither closed nor cancelled."""
    query = (
        select(StudySession.id)
        .where(
            StudySession.closed_at.is_(None),
            StudySession.cancelled_at.is_(None),
            StudySession.ends_at <= now - timedelta(minutes=after_minutes),
        )
        .order_by(StudySession.ends_at)
        .limit(limit)
    )
    return list(session.scalars(query))
