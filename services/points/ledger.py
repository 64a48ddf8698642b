"""Reading the ledger: a member's history, and the projection feed for the leaderboards."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.points import org
from services.points.intake import entry_view
from services.points.models import Event, LedgerEntry, Member, ProjectionOutbox


def member_history(session: Session, staff_no: str, limit: int, offset: int) -> dict[str, Any]:
    member = org.member_by_staff_no(session, staff_no)
    totals = session.execute(
        select(func.count(), func.coalesce(func.sum(LedgerEntry.points), 0)).where(
            LedgerEntry.member_id == member.id
        )
    ).one()
    rows = session.execute(
        select(LedgerEntry, Event.external_id)
        .outerjoin(Event, Event.id == LedgerEntry.event_id)
        .where(LedgerEntry.member_id == member.id)
        .order_by(LedgerEntry.occurred_at.desc(), LedgerEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    items = [entry_view(e.id, staff_no, ext, _row(e)) for e, ext in rows]
    return {"member": staff_no, "total_points": totals[1], "total": totals[0], "items": items}


def _row(entry: LedgerEntry) -> dict[str, Any]:
    return {
        c: getattr(entry, c)
        for c in (
            "category",
            "points",
            "reason",
            "rule_version",
            "detail",
            "occurred_at",
            "local_date",
        )
    }


def _projection_rows(session: Session, query: Any) -> list[dict[str, Any]]:
    """Ledger rows in the form the leaderboards consume (see docs/architecture.md)."""
    tree = org.unit_codes(session)
    paths: dict[int, list[str]] = {}
    items = []
    for row in session.execute(query):
        if row.unit_id not in paths:
            paths[row.unit_id] = org.unit_path(tree, row.unit_id)
        entry = {
            "id": row.id,
            "member": row.staff_no,
            "member_name": row.name,
            "unit_path": paths[row.unit_id],
            "category": row.category,
            "points": row.points,
            "local_date": row.local_date.isoformat(),
        }
        items.append(
            {"outbox_id": row.outbox_id, "entry": entry} if "outbox_id" in row._fields else entry
        )
    return items


_ENTRY_COLUMNS = (
    LedgerEntry.id,
    Member.staff_no,
    Member.name,
    LedgerEntry.unit_id,
    LedgerEntry.category,
    LedgerEntry.points,
    LedgerEntry.local_date,
)


def outbox_page(session: Session, limit: int) -> list[dict[str, Any]]:
    query = (
        select(ProjectionOutbox.id.label("outbox_id"), *_ENTRY_COLUMNS)
        .join(LedgerEntry, LedgerEntry.id == ProjectionOutbox.entry_id)
        .join(Member, Member.id == LedgerEntry.member_id)
        .order_by(ProjectionOutbox.id)
        .limit(limit)
    )
    return _projection_rows(session, query)


def acknowledge(session: Session, outbox_ids: list[int]) -> int:
    result = session.execute(delete(ProjectionOutbox).where(ProjectionOutbox.id.in_(outbox_ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def settled_page(
    session: Session,
    after_id: int,
    limit: int,
    from_date: date | None = None,
    to_date: date | None = None,
) -> dict[str, Any]:
    """Entries already projected (not in the outbox), by id: what a rebuild starts from;
    optionally only those whose local date lies in ``from_date``..``to_date``."""
    pending = select(ProjectionOutbox.entry_id).where(ProjectionOutbox.entry_id > after_id)
    query = (
        select(*_ENTRY_COLUMNS)
        .join(Member, Member.id == LedgerEntry.member_id)
        .where(LedgerEntry.id > after_id, LedgerEntry.id.not_in(pending))
        .order_by(LedgerEntry.id)
        .limit(limit)
    )
    if from_date is not None:
        query = query.where(LedgerEntry.local_date >= from_date)
    if to_date is not None:
        query = query.where(LedgerEntry.local_date <= to_date)
    items = _projection_rows(session, query)
    next_after = items[-1]["id"] if len(items) == limit else None
    return {"items": items, "next_after_id": next_after}


def _placements(session: Session, query: Any) -> list[dict[str, Any]]:
    tree = org.unit_codes(session)
    return [
        {
            "staff_no": r.staff_no,
            "name": r.name,
            "active": r.active,
            "unit_path": org.unit_path(tree, r.unit_id),
        }
        for r in session.execute(query).all()
    ]


_MEMBER_COLUMNS = (Member.staff_no, Member.name, Member.active, Member.unit_id)


def directory_page(session: Session, after: str, limit: int) -> dict[str, Any]:
    """Members by staff number with their state and current unit path (team standings)."""
    query = (
        select(*_MEMBER_COLUMNS)
        .where(Member.staff_no > after)
        .order_by(Member.staff_no)
        .limit(limit)
    )
    items = _placements(session, query)
    return {"items": items, "next_after": items[-1]["staff_no"] if len(items) == limit else None}


def placement(session: Session, staff_no: str) -> dict[str, Any]:
    """One member as the directory lists them; 404 when unknown."""
    items = _placements(session, select(*_MEMBER_COLUMNS).where(Member.staff_no == staff_no))
    if not items:
        raise NotFound(f"No member {staff_no!r}.")
    return items[0]
