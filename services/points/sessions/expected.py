"""Who a session expects, resolved when it matters (a sign-in, closing, figures).

The organisation keeps no history of unit changes, so a unit's members are the members in it
(or below it) *when asked*: until a session is closed, someone who joins the unit is expected
and someone who leaves it is not, and inactive members are not. Closing fixes the answer: it
marks each expected member's record (``Attendance.expected``), and a closed session's sign-ins
and figures read that, so later moves do not rewrite a closed session's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Member
from services.points.sessions.models import Attendance, ExpectedAttendee, StudySession


def targets(session: Session, session_id: int) -> tuple[list[int], list[int]]:
    """The unit ids and member ids a session names."""
    rows = session.execute(
        select(ExpectedAttendee.unit_id, ExpectedAttendee.member_id).where(
            ExpectedAttendee.session_id == session_id
        )
    ).all()
    return [r.unit_id for r in rows if r.unit_id], [r.member_id for r in rows if r.member_id]


def query(session: Session, study: StudySession, tree: org.Tree | None = None) -> Select[Any]:
    """SELECT Member.id, staff_no, unit_id of the members ``study`` expects."""
    if study.closed_at is not None:
        return (
            select(Member.id, Member.staff_no, Member.unit_id)
            .join(Attendance, Attendance.member_id == Member.id)
            .where(Attendance.session_id == study.id, Attendance.expected.is_(True))
        )
    units, members = targets(session, study.id)
    units_below = org.below(tree if tree is not None else org.unit_codes(session), units)
    return select(Member.id, Member.staff_no, Member.unit_id).where(
        Member.active.is_(True),
        or_(Member.unit_id.in_(units_below), Member.id.in_(members)),
    )


def members(session: Session, study: StudySession) -> list[Any]:
    return list(session.execute(query(session, study).order_by(Member.staff_no)))


def among(session: Session, study: StudySession, member_ids: Iterable[int]) -> set[int]:
    """Which of ``member_ids`` the session expects (one bounded query)."""
    wanted = list(set(member_ids))
    if not wanted:
        return set()
    chosen = query(session, study).where(Member.id.in_(wanted))
    return {row.id for row in session.execute(chosen)}
