"""Attendance figures, as SQL aggregates per request: per session (and per unit, each unit's
figures counting everything below it; and per custom group named), and per member over their
sessions. Each is a fixed number of queries on indexed columns, whatever the size of the
organisation.

``rate`` is (on_time + late) / expected, to four places (None when no one is expected);
``pending`` counts the expected members with no record yet, which only an open session has.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.sessions import expected, store
from services.points.sessions.models import (
    Attendance,
    Excuse,
    ExpectedAttendee,
    StudySession,
    public_id,
)
from services.points.sessions.views import state_of

STATUSES = ("on_time", "late", "excused", "absent", "pending")


def counts(tally: Counter[str]) -> dict[str, Any]:
    total = sum(tally[s] for s in STATUSES)
    present = tally["on_time"] + tally["late"]
    return {
        "expected": total,
        **{s: tally[s] for s in STATUSES},
        "rate": round(present / total, 4) if total else None,
    }


def of_session(session: Session, text: str) -> dict[str, Any]:
    study = store.get(session, text)
    who = expected.query(session, study).subquery()
    rows = session.execute(
        select(who.c.unit_id, Attendance.status, func.count())
        .select_from(who)
        .outerjoin(
            Attendance,
            and_(Attendance.session_id == study.id, Attendance.member_id == who.c.id),
        )
        .group_by(who.c.unit_id, Attendance.status)
    )
    tree = org.unit_codes(session)
    totals: Counter[str] = Counter()
    units: dict[str, Counter[str]] = {}
    for unit_id, status, number in rows:
        totals[status or "pending"] += number
        for code in org.unit_path(tree, unit_id):
            units.setdefault(code, Counter())[status or "pending"] += number
    return {
        "session": public_id(study.id),
        "state": state_of(study),
        "totals": counts(totals),
        "units": [{"unit": code, **counts(units[code])} for code in sorted(units)],
        "groups": _per_group(session, study.id, who),
    }


def _per_group(session: Session, study_id: int, who: Any) -> list[dict[str, Any]]:
    """The figures of the members each custom group brought (one query; a member in two
    groups counts in both)."""
    from_group = and_(
        ExpectedAttendee.session_id == study_id,
        ExpectedAttendee.member_id == who.c.id,
        ExpectedAttendee.group_code.is_not(None),
    )
    rows = session.execute(
        select(ExpectedAttendee.group_code, Attendance.status, func.count())
        .select_from(who)
        .join(ExpectedAttendee, from_group)
        .outerjoin(
            Attendance, and_(Attendance.session_id == study_id, Attendance.member_id == who.c.id)
        )
        .group_by(ExpectedAttendee.group_code, Attendance.status)
    )
    tally: dict[str, Counter[str]] = {}
    for code, status, number in rows:
        tally.setdefault(code, Counter())[status or "pending"] += number
    return [{"group": code, **counts(tally[code])} for code in sorted(tally)]


def of_member(session: Session, staff_no: str, limit: int, offset: int) -> dict[str, Any]:
    """The sessions a member has a record at, or is expected at while they are open; newest
    first, each with the member's status and excuse."""
    member = org.member_by_staff_no(session, staff_no)
    tree = org.unit_codes(session)
    above = [u for u in tree if tree[u][0] in org.unit_path(tree, member.unit_id)]
    named = select(ExpectedAttendee.session_id).where(
        or_(ExpectedAttendee.unit_id.in_(above), ExpectedAttendee.member_id == member.id)
    )
    mine: ColumnElement[bool] = Attendance.member_id.is_not(None)
    if member.active:
        mine = or_(mine, and_(StudySession.closed_at.is_(None), StudySession.id.in_(named)))
    attended = and_(Attendance.session_id == StudySession.id, Attendance.member_id == member.id)
    excused = and_(Excuse.session_id == StudySession.id, Excuse.member_id == member.id)
    chosen = (
        select(StudySession, Attendance.status, Excuse.state)
        .outerjoin(Attendance, attended)
        .outerjoin(Excuse, excused)
        .where(mine)
    )
    grouped = (
        select(Attendance.status, func.count())
        .select_from(StudySession)
        .outerjoin(Attendance, attended)
        .where(mine, StudySession.cancelled_at.is_(None))
        .group_by(Attendance.status)
    )
    tally: Counter[str] = Counter()
    for status, number in session.execute(grouped):
        tally[status or "pending"] += number
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    ordered = chosen.order_by(StudySession.starts_at.desc(), StudySession.id.desc())
    items = [
        {
            "session": public_id(study.id),
            "title": study.title,
            "starts_at": study.starts_at.isoformat(),
            "state": state_of(study),
            "status": status,
            "excuse": excuse,
        }
        for study, status, excuse in session.execute(ordered.limit(limit).offset(offset))
    ]
    return {"member": staff_no, "totals": counts(tally), "total": total, "items": items}
