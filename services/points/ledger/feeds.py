"""Reading the ledger: a member's history, and the projection feeds for the leaderboards."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.points import org
from services.points.ledger.entries import stored_view
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
    items = [stored_view(e, staff_no, ext) for e, ext in rows]
    return {"member": staff_no, "total_points": totals[1], "total": totals[0], "items": items}


def outbox_page(session: Session, limit: int) -> list[dict[str, Any]]:
    """Outbox rows, oldest first, each with its entry in the form the leaderboards consume
    (ENTRY in docs/architecture.md)."""
    query = (
        select(
            ProjectionOutbox.id.label("outbox_id"),
            LedgerEntry.id,
            Member.staff_no,
            Member.name,
            LedgerEntry.unit_id,
            LedgerEntry.category,
            LedgerEntry.points,
            LedgerEntry.local_date,
        )
        .join(LedgerEntry, LedgerEntry.id == ProjectionOutbox.entry_id)
        .join(Member, Member.id == LedgerEntry.member_id)
        .order_by(ProjectionOutbox.id)
        .limit(limit)
    )
    paths = _UnitPaths(session)
    return [
        {
            "outbox_id": row.outbox_id,
            "entry": {
                "id": row.id,
                "member": row.staff_no,
                "member_name": row.name,
                "unit_path": paths[row.unit_id],
                "category": row.category,
                "points": row.points,
                "local_date": row.local_date.isoformat(),
            },
        }
        for row in session.execute(query)
    ]


class _UnitPaths(dict[int, list[str]]):
    """Unit id -> its path of codes, each worked out when first asked for."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.tree = org.unit_codes(session)

    def __missing__(self, unit_id: int) -> list[str]:
        path = self[unit_id] = org.unit_path(self.tree, unit_id)
        return path


def acknowledge(session: Session, outbox_ids: list[int]) -> int:
    result = session.execute(delete(ProjectionOutbox).where(ProjectionOutbox.id.in_(outbox_ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


Shape = tuple[int, str, Any]  # unit id, category, local date (as the database returns it)

_SUM_COLUMNS = (
    LedgerEntry.id,
    LedgerEntry.member_id,
    LedgerEntry.unit_id,
    LedgerEntry.category,
    # The day as stored: SQLAlchemy's conversion of SQLite's date strings doubled the query's
    # time on a million rows. str() gives the ISO form from either database.
    type_coerce(LedgerEntry.local_date, String),
    LedgerEntry.points,
)


def settled_sums_page(
    session: Session,
    after_id: int,
    limit: int,
    from_date: date | None = None,
    to_date: date | None = None,
) -> dict[str, Any]:
    """Up to ``limit`` entries already projected (not in the outbox), by id, summed per unit,
    category, local date and member: the finest boards a rebuild derives every board from.
    Optionally only entries whose local date lies in ``from_date``..``to_date``.

    Sums are per page: the same unit, category, day and member may appear on several pages
    (entries are paged by id), and the reader adds them up.
    """
    pending = select(ProjectionOutbox.entry_id).where(ProjectionOutbox.entry_id > after_id)
    query = (
        select(*_SUM_COLUMNS)
        .where(LedgerEntry.id > after_id, LedgerEntry.id.not_in(pending))
        .order_by(LedgerEntry.id)
        .limit(limit)
    )
    if from_date is not None:
        query = query.where(LedgerEntry.local_date >= from_date)
    if to_date is not None:
        query = query.where(LedgerEntry.local_date <= to_date)
    rows = session.connection().execute(query).all()
    if not rows:
        return {"items": [], "entries": 0, "next_after_id": None}
    sums, earned = _sum_by_shape(rows)
    staff = _staff_numbers(session, after_id, rows[-1][0])
    paths = _UnitPaths(session)
    items = [
        {
            "unit_path": paths[unit_id],
            "category": category,
            "local_date": str(day),
            "members": [staff[member] for member in members],
            "points": list(members.values()),
            "earned": [staff[m] for m in earned.get((unit_id, category, day), ())],
        }
        for (unit_id, category, day), members in sums.items()
    ]
    next_after = rows[-1][0] if len(rows) == limit else None
    return {"items": items, "entries": len(rows), "next_after_id": next_after}


def _sum_by_shape(rows: Any) -> tuple[dict[Shape, dict[int, int]], dict[Shape, set[int]]]:
    """Points per member id for each (unit, category, day), and the members of each with an
    entry that earned points (> 0: what the activity sets count)."""
    sums: dict[Shape, dict[int, int]] = {}
    earned: dict[Shape, set[int]] = {}
    for _, member, unit_id, category, day, points in rows:
        shape = (unit_id, category, day)
        members = sums.get(shape)
        if members is None:
            members = sums[shape] = {}
        members[member] = members.get(member, 0) + points
        if points > 0:
            earned.setdefault(shape, set()).add(member)
    return sums, earned


def _staff_numbers(session: Session, after_id: int, last_id: int) -> dict[int, str]:
    """Staff numbers of the members with entries in ``after_id``..``last_id``. Joining every
    entry to its member cost more than the rest of the query on SQLite; this reads each
    member once."""
    members = select(LedgerEntry.member_id).where(
        LedgerEntry.id > after_id, LedgerEntry.id <= last_id
    )
    query = select(Member.id, Member.staff_no).where(Member.id.in_(members))
    return dict(session.connection().execute(query).tuples().all())


def _placements(session: Session, query: Any) -> list[dict[str, Any]]:
    paths = _UnitPaths(session)
    return [
        {"staff_no": r.staff_no, "name": r.name, "active": r.active, "unit_path": paths[r.unit_id]}
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
