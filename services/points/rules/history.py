"""A period's events with what they earned so far: the input of previews and re-scoring.

Events are read in the order the engine replays them (``occurred_at``, then arrival); what each
earned is the sum of its ledger entries except badges, which are history of their own (see
docs/rules.md, "Preview and re-score").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import zone
from services.points import org
from services.points.models import Event, LedgerEntry, Member


def bounds(start: date, end: date, zone_name: str) -> tuple[datetime, datetime]:
    """The instants of local midnight on ``start`` and after ``end``, in the org's zone."""
    tz = zone(zone_name)
    first = datetime.combine(start, time(), tz)
    after = datetime.combine(end + timedelta(days=1), time(), tz)
    return first, after


def events_between(
    session: Session,
    start: date,
    end: date,
    zone_name: str,
    after_id: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events of local dates ``start`` .. ``end`` by (occurred_at, id), with earned points."""
    first, after = bounds(start, end, zone_name)
    query = (
        select(
            Event.id,
            Event.type,
            Event.data,
            Event.occurred_at,
            Member.id.label("member_id"),
            Member.staff_no,
            Member.unit_id,
        )
        .join(Member, Member.id == Event.member_id)
        .where(Event.occurred_at >= first, Event.occurred_at < after, Event.id > after_id)
    )
    if limit is not None:
        query = query.order_by(Event.id).limit(limit)
    rows = session.execute(query).all()
    earned = _earned(session, [row.id for row in rows])
    tree = org.unit_codes(session)
    items = [
        {
            "id": row.id,
            "member": row.staff_no,
            "member_id": row.member_id,
            "unit_id": row.unit_id,
            "unit_path": org.unit_path(tree, row.unit_id),
            "type": row.type,
            "data": row.data,
            "occurred_at": row.occurred_at,
            "earned": earned.get(row.id, {}),
        }
        for row in rows
    ]
    if limit is None:
        items.sort(key=lambda item: (item["occurred_at"], item["id"]))
    return items


def events_since(session: Session, member_ids: set[int], first: datetime) -> list[dict[str, Any]]:
    """The events of these members at or after ``first``, by (occurred_at, id): what a re-score
    replays after its period so that its state ends where the live state stands."""
    items: list[dict[str, Any]] = []
    members = sorted(member_ids)
    for start in range(0, len(members), 1000):
        rows = session.execute(
            select(Event.id, Event.type, Event.data, Event.occurred_at, Member.staff_no)
            .join(Member, Member.id == Event.member_id)
            .where(Event.member_id.in_(members[start : start + 1000]), Event.occurred_at >= first)
        )
        items += [
            {
                "id": row.id,
                "member": row.staff_no,
                "type": row.type,
                "data": row.data,
                "occurred_at": row.occurred_at,
            }
            for row in rows
        ]
    items.sort(key=lambda item: (item["occurred_at"], item["id"]))
    return items


def _earned(session: Session, event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event id: {category: points}} over every entry of the events but badges."""
    found: dict[int, dict[str, int]] = {}
    for start in range(0, len(event_ids), 1000):
        chunk = event_ids[start : start + 1000]
        rows = session.execute(
            select(
                LedgerEntry.event_id, LedgerEntry.category, LedgerEntry.points, LedgerEntry.detail
            ).where(LedgerEntry.event_id.in_(chunk))
        )
        for event_id, category, points, detail in rows:
            if (detail or {}).get("kind") == "badge":
                continue
            per_event = found.setdefault(event_id, {})
            per_event[category] = per_event.get(category, 0) + points
    return found
