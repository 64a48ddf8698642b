"""After a nudge, a summary to the leaders of the nudged members' units: a leader (a member
marked so, services/points/analytics) leads their unit and everything below it, so each leader
over a nudged member hears who was nudged in their part of the tree. By e-mail when the leader
has an address, else through the subscriptions to ``nudge.summary`` of the leader's units (a
unit's group robot); a leader who opted out of nudges gets no summary either."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.delivery import outbox
from services.points.models import Member


def send(
    session: Session, nudged: list[Member], days: int, opted_out: set[int]
) -> list[dict[str, Any]]:
    """One summary per leader over at least one of ``nudged``; who got one, and how."""
    if not nudged:
        return []
    tree = org.unit_codes(session)
    over = {member.id: org.above(tree, member.unit_id) for member in nudged}
    units = set().union(*over.values())
    leaders = session.scalars(
        select(Member)
        .where(Member.leader.is_(True), Member.active.is_(True), Member.unit_id.in_(units))
        .order_by(Member.staff_no)
    )
    sent: list[dict[str, Any]] = []
    for leader in leaders:
        theirs = [m for m in nudged if leader.unit_id in over[m.id] and m.id != leader.id]
        if not theirs or leader.id in opted_out:
            continue
        channel = _send(session, leader, tree[leader.unit_id][0], days, theirs)
        if channel:
            sent.append({"staff_no": leader.staff_no, "channel": channel, "members": len(theirs)})
    return sent


def _send(
    session: Session, leader: Member, unit: str, days: int, members: list[Member]
) -> str | None:
    data = {
        "leader": leader.staff_no, "name": leader.name, "unit": unit, "days": days,
        "members": [{"member": m.staff_no, "name": m.name} for m in members],
    }  # fmt: skip
    if leader.email:
        outbox.record_email(session, outbox.NUDGE_SUMMARY, data, leader.email)
        return "email"
    if outbox.record(session, outbox.NUDGE_SUMMARY, data, [leader.unit_id]) is None:
        return None  # no subscription takes it
    return "subscriptions"
