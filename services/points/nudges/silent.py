"""Silent members: active members with no learning activity in the last ``days`` days.

Learning activity is what a member did themselves: a ledger entry that awarded points (a
penalty, such as an absence's, is not learning), a sign-in at a study session (on time or
late; an absence or an excuse is not), a quiz attempt, or work on a practice report (written,
changed, submitted). Days are counted back from now, in whole days of 24 hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Event, LedgerEntry, Member
from services.points.nudges.models import Nudge, NudgePreference
from services.points.reports.models import Report
from services.points.sessions.models import Attendance

SIGNED_IN = ("on_time", "late")


def active_since(session: Session, member_ids: list[int], since: datetime) -> set[int]:
    """Those of ``member_ids`` with learning activity at ``since`` or later."""
    found: set[int] = set()
    for start in range(0, len(member_ids), 500):
        ids = member_ids[start : start + 500]
        for query in (
            select(LedgerEntry.member_id).where(
                LedgerEntry.member_id.in_(ids),
                LedgerEntry.points > 0,
                LedgerEntry.occurred_at >= since,
            ),
            select(Attendance.member_id)
            .join(Event, Event.id == Attendance.event_id)
            .where(
                Attendance.member_id.in_(ids),
                Attendance.status.in_(SIGNED_IN),
                Event.occurred_at >= since,
            ),
            select(Event.member_id).where(
                Event.member_id.in_(ids), Event.type == "quiz", Event.occurred_at >= since
            ),
            select(Report.member_id).where(Report.member_id.in_(ids), Report.updated_at >= since),
        ):
            found.update(session.scalars(query.distinct()))
    return found


def members_of(session: Session, units: set[int] | None) -> list[Member]:
    """The active members of these units (None: of the whole organisation), by staff number."""
    query = select(Member).where(Member.active.is_(True)).order_by(Member.staff_no)
    if units is not None:
        query = query.where(Member.unit_id.in_(sorted(units)))
    return list(session.scalars(query))


def silent(session: Session, members: list[Member], days: int, now: datetime) -> list[Member]:
    busy = active_since(session, [m.id for m in members], now - timedelta(days=days))
    return [m for m in members if m.id not in busy]


def view(session: Session, members: list[Member]) -> list[dict[str, Any]]:
    """Each member as the page lists them: with their opt-out and their last nudge."""
    tree = org.unit_codes(session)
    ids = [m.id for m in members]
    out = set(
        session.scalars(
            select(NudgePreference.member_id).where(
                NudgePreference.member_id.in_(ids), NudgePreference.opted_out.is_(True)
            )
        )
    ) if ids else set()  # fmt: skip
    last: dict[int, datetime] = {}
    for member_id, at in session.execute(
        select(Nudge.member_id, Nudge.sent_at).where(Nudge.member_id.in_(ids))
    ):
        last[member_id] = max(at, last.get(member_id, at))
    return [
        {
            "staff_no": m.staff_no,
            "name": m.name,
            "unit": tree[m.unit_id][0],
            "has_email": bool(m.email),
            "opted_out": m.id in out,
            "last_nudged_at": last[m.id].isoformat() if m.id in last else None,
        }
        for m in members
    ]
