"""The audit log of what admins did by hand, and manual adjustments of a member's points.

An adjustment is a ledger entry like any other (it reaches the leaderboards through the
outbox) plus an audit record naming who made it and why. A reason is mandatory. A request key
makes a retry harmless: the same admin sending the same key again gets the first answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.common.errors import Conflict
from services.points import org
from services.points.ledger.entries import entry_view, insert_entries, ledger_row
from services.points.models import AuditRecord, LedgerEntry, Member
from services.points.rules import scoring
from services.rules import Entry


def find(session: Session, actor: str, key: str | None) -> AuditRecord | None:
    if key is None:
        return None
    return session.scalar(
        select(AuditRecord).where(AuditRecord.actor == actor, AuditRecord.request_key == key)
    )


def write(
    session: Session,
    *,
    actor: str,
    action: str,
    key: str | None,
    member_id: int | None,
    detail: dict[str, Any],
    now: datetime,
) -> AuditRecord:
    record = AuditRecord(
        actor=actor[:100],
        action=action,
        request_key=key,
        member_id=member_id,
        detail=detail,
        created_at=now,
    )
    session.add(record)
    session.flush()
    return record


def adjust(
    session: Session,
    staff_no: str,
    body: dict[str, Any],
    actor: str,
    zone_name: str,
    now: datetime,
) -> tuple[bool, dict[str, Any]]:
    """(replayed, answer): award or deduct ``body["points"]`` with a reason, and audit it."""
    key = body.get("request_id")
    done = find(session, actor, key)
    if done is not None:
        if done.action != "adjustment" or done.detail.get("request") != body:
            raise Conflict(f"Request id {key!r} was already used with other content.")
        return True, done.detail["answer"]
    member = org.member_by_staff_no(session, staff_no)
    scoring.lock_members(session, [member.id])
    points, words = body["points"], body["reason"].strip()
    verb = "award" if points > 0 else "deduction"
    reason = f"Manual {verb}: {words}: {points:+d} points"
    detail = {"kind": "adjustment", "by": actor, "reason": words}
    entry = Entry("adjustment", body["category"], points, reason, detail)
    row = ledger_row(member, None, entry, None, now, local_date(now, zone_name), now)
    (entry_id,) = insert_entries(session, [row])
    answer: dict[str, Any] = {"entry": entry_view(entry_id, staff_no, None, row), "by": actor}
    record = write(
        session,
        actor=actor,
        action="adjustment",
        key=key,
        member_id=member.id,
        detail={"request": body, "answer": answer},
        now=now,
    )
    answer["audit_id"] = record.id
    record.detail = {"request": body, "answer": answer}
    return False, answer


def page(
    session: Session,
    member: str | None,
    limit: int,
    offset: int,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, Any]:
    """The records matching every filter given, newest first, and how many match."""
    query = select(AuditRecord, Member.staff_no).outerjoin(
        Member, Member.id == AuditRecord.member_id
    )
    counted = select(func.count()).select_from(AuditRecord)
    wanted = []
    if member is not None:
        wanted.append(AuditRecord.member_id == org.member_by_staff_no(session, member).id)
    if actor is not None:
        wanted.append(AuditRecord.actor == actor)
    if action is not None:
        wanted.append(AuditRecord.action == action)
    if since is not None:
        wanted.append(AuditRecord.created_at >= since)
    if until is not None:
        wanted.append(AuditRecord.created_at < until)
    query, counted = query.where(*wanted), counted.where(*wanted)
    rows = session.execute(query.order_by(AuditRecord.id.desc()).limit(limit).offset(offset))
    items = [
        {
            "id": record.id,
            "at": record.created_at.isoformat(),
            "actor": record.actor,
            "action": record.action,
            "member": staff_no,
            "request_id": record.request_key,
            "detail": record.detail,
        }
        for record, staff_no in rows
    ]
    return {"total": session.scalar(counted) or 0, "items": items}


def lifetime_points(session: Session, member_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.member_id == member_id
        )
    )
    return int(total or 0)
