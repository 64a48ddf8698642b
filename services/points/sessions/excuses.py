"""Excuses: a member asks to be excused from a session (before it or after), an admin of their
unit approves or rejects. Only ``pending`` -> ``approved`` and ``pending`` -> ``rejected``
happen; anything else is a 409. One excuse per member and session.

What an approval does to the record: before closing, nothing yet (closing records ``excused``
instead of ``absent``); after closing, when the member's record is ``absent``, it records the
platform's ``excused:<session>:<staff_no>`` event at once, which reverses the absence
(``corrections``). A member who signed in keeps their sign-in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound, Unprocessable
from services.contracts import ADMIN
from services.points import org
from services.points.api import unit_access
from services.points.intake.record import record
from services.points.models import Member
from services.points.rules.published import RuleBook
from services.points.sessions import expected, store
from services.points.sessions.attendance import ABSENT
from services.points.sessions.closing import SENDER, platform_event
from services.points.sessions.models import Attendance, Excuse
from services.points.sessions.views import excuse_view

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
DECIDED = {"approve": APPROVED, "reject": REJECTED}


def submit(
    session: Session, text: str, staff_no: str, reason: str, now: datetime
) -> dict[str, Any]:
    study = store.get(session, text, lock=True)
    member = org.member_by_staff_no(session, staff_no)
    if study.cancelled_at is not None:
        raise Conflict(f"Session {text} was cancelled; there is nothing to be excused from.")
    if member.id not in expected.among(session, study, [member.id]):
        raise Unprocessable(errors={"json": {"session": [f"You are not expected at {text}."]}})
    if _find(session, study.id, member.id) is not None:
        raise Conflict(f"You already sent an excuse for session {text}.")
    excuse = Excuse(
        session_id=study.id, member_id=member.id, reason=reason, state=PENDING, submitted_at=now
    )
    session.add(excuse)
    session.flush()
    return excuse_view(excuse, study.id, staff_no)


def _find(session: Session, study_id: int, member_id: int) -> Excuse | None:
    return session.scalar(
        select(Excuse).where(Excuse.session_id == study_id, Excuse.member_id == member_id)
    )


def one(session: Session, text: str, staff_no: str) -> dict[str, Any]:
    study = store.get(session, text)
    member = org.member_by_staff_no(session, staff_no)
    excuse = _find(session, study.id, member.id)
    if excuse is None:
        raise NotFound(f"{staff_no} sent no excuse for session {text}.")
    return excuse_view(excuse, study.id, staff_no)


def page(session: Session, text: str, query: dict[str, Any]) -> dict[str, Any]:
    """A session's excuses, oldest first; a person sees those of the units they administer."""
    study = store.get(session, text)
    chosen = select(Excuse, Member.staff_no).join(Member, Member.id == Excuse.member_id)
    chosen = chosen.where(Excuse.session_id == study.id)
    person = unit_access.reach()
    if person is not None:
        tree = org.unit_codes(session)
        mine = [u for u in tree if person.covers(org.unit_path(tree, u), ADMIN)]
        chosen = chosen.where(Member.unit_id.in_(mine))
    if query["state"] is not None:
        chosen = chosen.where(Excuse.state == query["state"])
    total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    rows = session.execute(
        chosen.order_by(Excuse.submitted_at, Excuse.id)
        .limit(query["limit"])
        .offset(query["offset"])
    )
    return {"total": total, "items": [excuse_view(e, study.id, s) for e, s in rows]}


def decide(
    session: Session,
    text: str,
    staff_no: str,
    body: dict[str, Any],
    actor: str,
    rules: RuleBook,
    zone_name: str,
    now: datetime,
) -> dict[str, Any]:
    study = store.get(session, text, lock=True)
    member = org.member_by_staff_no(session, staff_no)
    unit_access.may_manage_member(session, member)
    excuse = _find(session, study.id, member.id)
    if excuse is None:
        raise NotFound(f"{staff_no} sent no excuse for session {text}.")
    if excuse.state != PENDING:
        raise Conflict(f"The excuse is {excuse.state} already; only a pending one is decided.")
    excuse.state, excuse.note = DECIDED[body["decision"]], body["note"]
    excuse.decided_by, excuse.decided_at = actor[:100], now
    session.flush()
    if excuse.state == APPROVED and study.closed_at is not None:
        row = session.get(Attendance, (study.id, member.id))
        if row is not None and row.status == ABSENT:
            event = platform_event(study, staff_no, "excused")
            record(session, SENDER, [(0, event)], rules, zone_name, now)
    return excuse_view(excuse, study.id, staff_no)
