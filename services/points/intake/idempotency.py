"""The same event twice awards once. A sender's event id is stored with a digest of the
event's content; inserting skips ids the sender already used (``insert_new``: one statement,
so a replay racing the first post in another process inserts nothing either), and each
skipped event is answered with the first result, or 409 when the same id came with other
content (``answer_replays``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from services.points.intake.outcome import Outcome, answer
from services.points.ledger.entries import stored_view
from services.points.models import Event, LedgerEntry

# The table, not the mapped class: an INSERT on a class takes the ORM's bulk path, whose
# per-row bookkeeping cost about a third of batch intake.
EVENTS = cast(Table, Event.__table__)


class Sent(Protocol):
    """A checked event of this request: its position, content and digest."""

    index: int
    event: dict[str, Any]
    digest: str


def digest(event: dict[str, Any]) -> str:
    """The event's content (not its id) in one canonical form, hashed."""
    content = {
        "type": event["type"],
        "member": event["member"],
        "occurred_at": event["occurred_at"].isoformat(),
        "data": event["data"],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def insert_new(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the event rows whose (sender, id) is new; {sender's id: our id} for those."""
    # One statement, executed for many rows: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") and caches the compiled form, where .values(rows) would compile a
    # new thousand-row statement per batch. Skipped replays return no row.
    statement = _skipping_known_ids(session).returning(EVENTS.c.id, EVENTS.c.external_id)
    return {row.external_id: row.id for row in session.execute(statement, rows)}


def _skipping_known_ids(session: Session) -> Any:
    """An INSERT of events that skips the ones whose (sender, id) is already stored."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(EVENTS).on_conflict_do_nothing(
            index_elements=["sender", "external_id"]
        )
    # SQLite: OR IGNORE, which also skips rows breaking other constraints, but checked events
    # can only break (sender, id). Unlike ON CONFLICT it has a cache key: the dialect's ON
    # CONFLICT statements are compiled anew on every call, which cost a third of a single
    # event's intake.
    return insert(EVENTS).prefix_with("OR IGNORE", dialect="sqlite")


def answer_replays(session: Session, sender: str, replays: Sequence[Sent]) -> dict[int, Outcome]:
    """The first result for each event whose id was stored already; 409 if its content
    differs from the first post's."""
    if not replays:
        return {}
    stored = _stored_events(session, sender, {p.event["id"] for p in replays})
    entries = _entries_of(session, [e.id for e in stored.values()])
    outcomes: dict[int, Outcome] = {}
    for item in replays:
        event = stored[item.event["id"]]
        if event.payload_hash != item.digest:
            message = f"Event id {item.event['id']!r} was already used with other content."
            outcomes[item.index] = Outcome(409, {"message": message})
            continue
        views = [
            stored_view(e, item.event["member"], event.external_id)
            for e in entries.get(event.id, [])
        ]
        stored_event = {**item.event, "occurred_at": event.occurred_at}
        outcomes[item.index] = Outcome(200, answer(stored_event, views, True, event.received_at))
    return outcomes


def _stored_events(session: Session, sender: str, ids: set[str]) -> dict[str, Event]:
    return {
        e.external_id: e
        for e in session.scalars(
            select(Event).where(Event.sender == sender, Event.external_id.in_(ids))
        )
    }


def _entries_of(session: Session, event_ids: list[int]) -> dict[int, list[LedgerEntry]]:
    entries: dict[int, list[LedgerEntry]] = {}
    for entry in session.scalars(
        select(LedgerEntry).where(LedgerEntry.event_id.in_(event_ids)).order_by(LedgerEntry.id)
    ):
        entries.setdefault(entry.event_id or 0, []).append(entry)
    return entries
