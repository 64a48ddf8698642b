"""Sending nudges: to each silent member among those asked for, by e-mail when the member has
an address, else through the subscriptions to ``nudge`` events of the organisation and of the
member's units; recorded in the outbox in this transaction, delivered by the sweep. Skipped,
each with its reason: a member no longer active in the organisation (``inactive``), one
who learned in those days (``active``), opted out (``opted_out``), was
nudged within NUDGE_COOLDOWN_DAYS (``cooldown``), or can be reached no way (``no_channel``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.delivery import outbox
from services.points.models import Member
from services.points.nudges import silent, summaries
from services.points.nudges.models import Nudge, NudgePreference

EMAIL, SUBSCRIPTIONS = "email", "subscriptions"


def nudge(
    session: Session, members: list[Member], days: int, cooldown_days: int, actor: str,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    quiet = {m.id for m in silent.silent(session, members, days, now)}
    ids = [m.id for m in members]
    opted = _opted_out(session, ids)
    recent = _nudged_since(session, ids, now - timedelta(days=cooldown_days))
    tree = org.unit_codes(session)
    sent: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    nudged: list[Member] = []
    for member in members:
        reason = (
            "inactive" if not member.active
            else "active" if member.id not in quiet
            else "opted_out" if member.id in opted
            else "cooldown" if member.id in recent
            else None
        )  # fmt: skip
        channel = None if reason else _send(session, member, tree[member.unit_id][0], days)
        if reason or channel is None:
            skipped.append({"staff_no": member.staff_no, "reason": reason or "no_channel"})
            continue
        session.add(Nudge(member_id=member.id, channel=channel, sent_by=actor[:100], sent_at=now))
        sent.append({"staff_no": member.staff_no, "channel": channel})
        nudged.append(member)
    # The leaders are mostly not among those asked for: their opt-outs are read too.
    leaders = list(session.scalars(select(Member.id).where(Member.leader.is_(True))))
    told = summaries.send(session, nudged, days, _opted_out(session, leaders))
    return {"days": days, "sent": sent, "skipped": skipped, "leaders": told}


def _send(session: Session, member: Member, unit: str, days: int) -> str | None:
    data = {"member": member.staff_no, "name": member.name, "unit": unit, "days": days}
    if member.email:
        outbox.record_email(session, outbox.NUDGE, data, member.email)
        return EMAIL
    if outbox.record(session, outbox.NUDGE, data, [member.unit_id]) is None:
        return None  # no subscription takes it
    return SUBSCRIPTIONS


def _opted_out(session: Session, ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(NudgePreference.member_id).where(
                NudgePreference.member_id.in_(ids), NudgePreference.opted_out.is_(True)
            )
        )
    )


def _nudged_since(session: Session, ids: list[int], since: datetime) -> set[int]:
    rows = session.execute(
        select(Nudge.member_id, func.max(Nudge.sent_at))
        .where(Nudge.member_id.in_(ids))
        .group_by(Nudge.member_id)
    )
    return {member_id for member_id, at in rows if at is not None and at >= since}


def preference(session: Session, member: Member) -> bool:
    row = session.get(NudgePreference, member.id)
    return bool(row and row.opted_out)


def set_preference(session: Session, member: Member, opted_out: bool, now: datetime) -> None:
    row = session.get(NudgePreference, member.id, with_for_update=True)
    if row is None:
        session.add(NudgePreference(member_id=member.id, opted_out=opted_out, updated_at=now))
    else:
        row.opted_out, row.updated_at = opted_out, now
