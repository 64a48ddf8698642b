"""The outbound events the platform's changes cause, each built from the change and recorded
in its transaction (``outbox.record``): a badge earned, a practice report approved or
returned, a study session closed with its absences, a member reaching a new level. What each
carries is in docs/delivery.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.points.delivery import outbox
from services.points.models import LedgerEntry, Member, Unit
from services.points.sessions.models import public_id
from services.rules import level_for

# (member, points of one new ledger entry, the levels of the rules that priced it)
Gain = tuple[Member, int, list[dict[str, Any]]]


def _people(session: Session, member_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(member_ids))
    rows = session.execute(
        select(Member.id, Member.staff_no, Member.name, Member.unit_id, Unit.code)
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.id.in_(ids))
    )
    return {
        r.id: {"member": r.staff_no, "name": r.name, "unit": r.code, "unit_id": r.unit_id}
        for r in rows
    }


def badges_earned(session: Session, rows: list[dict[str, Any]]) -> None:
    """One event per badge row just inserted (``scoring.record_badges``)."""
    people = _people(session, (row["member_id"] for row in rows))
    for row in rows:
        who = dict(people[row["member_id"]])
        unit_id = who.pop("unit_id")
        data = {**who, "badge": row["code"], "title": row["title"], "window": row["window"]}
        data["awarded_at"] = row["awarded_at"].isoformat()
        outbox.record(session, outbox.BADGE_EARNED, data, [unit_id])


def report_decided(session: Session, report: Any, kind: str) -> None:
    """A practice report approved (with its rating) or returned (with the comment)."""
    who = dict(_people(session, [report.member_id])[report.member_id])
    unit_id = who.pop("unit_id")
    data = {**who, "report": report.id, "title": report.title}
    if kind == outbox.REPORT_APPROVED:
        data["rating"] = report.rating
    else:
        data["comment"] = report.comment
    outbox.record(session, kind, data, [unit_id])


def session_closed(session: Session, study: Any, absent_ids: list[int]) -> None:
    """A study session closed the first time, with the members recorded absent: for the
    organisation's subscriptions and those of the absent members' units."""
    people = _people(session, absent_ids)
    absent = [
        {k: v for k, v in people[i].items() if k != "unit_id"} for i in absent_ids if i in people
    ]
    data = {
        "session": public_id(study.id),
        "title": study.title,
        "starts_at": study.starts_at.isoformat(),
        "absent": absent,
    }
    outbox.record(session, outbox.SESSION_CLOSED, data, [p["unit_id"] for p in people.values()])


def levels_reached(session: Session, gains: list[Gain]) -> None:
    """A member whose new entries (just inserted: the sums include them) lifted their lifetime
    points into a higher level. Nothing is summed unless a subscription listens."""
    units = {member.unit_id for member, _, _ in gains}
    if not gains or not outbox.interested(session, outbox.LEVEL_REACHED, units):
        return
    gained: Counter[int] = Counter()
    last: dict[int, Gain] = {}
    for gain in gains:
        gained[gain[0].id] += gain[1]
        last[gain[0].id] = gain
    rows = session.execute(
        select(LedgerEntry.member_id, func.sum(LedgerEntry.points))
        .where(LedgerEntry.member_id.in_([i for i, g in gained.items() if g > 0]))
        .group_by(LedgerEntry.member_id)
    )
    totals: dict[int, int] = {member_id: int(total) for member_id, total in rows}
    for member_id, total in totals.items():
        member, _, levels = last[member_id]
        now, before = (
            level_for(int(total), levels),
            level_for(int(total) - gained[member_id], levels),
        )
        if now["level"] is not None and now["level"] > (before["level"] or 0):
            who = dict(_people(session, [member_id])[member_id])
            unit_id = who.pop("unit_id")
            data = {**who, "level": now["level"], "title": now["title"], "points": int(total)}
            outbox.record(session, outbox.LEVEL_REACHED, data, [unit_id])
