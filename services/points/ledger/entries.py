"""Ledger entries as every writer of the ledger stores and shows them: the row a priced entry
becomes, inserting rows together with their outbox rows (so that they reach the leaderboards),
and an entry's view in API answers, new or read back (a member's history, a replay's answer).
Intake, re-scoring and manual adjustments all use these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from services.points.ledger.explain import explain
from services.points.models import LedgerEntry, ProjectionOutbox
from services.rules import Entry

LEDGER = cast(Table, LedgerEntry.__table__)
OUTBOX = cast(Table, ProjectionOutbox.__table__)


def ledger_row(
    member: Any,
    event_id: int | None,
    entry: Entry,
    version: int | None,
    occurred_at: datetime,
    day: Any,
    now: datetime,
    unit_id: int | None = None,
) -> dict[str, Any]:
    return {
        "member_id": member.id,
        "unit_id": unit_id or member.unit_id,
        "event_id": event_id,
        "category": entry.category,
        "points": entry.points,
        "rule_version": version,
        "reason": entry.reason[:500],
        "detail": entry.detail,
        "occurred_at": occurred_at,
        "local_date": day,
        "created_at": now,
    }


def insert_entries(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Ledger rows and their outbox rows (so they reach the leaderboards); the new ids."""
    if not rows:
        return []
    statement = insert(LEDGER)
    if session.get_bind().dialect.name == "postgresql":
        # The primary key lets PostgreSQL return the ids in row order, many rows a statement.
        returning = statement.returning(LEDGER.c.id, sort_by_parameter_order=True)
        ids = list(session.scalars(returning, rows))
    else:
        # SQLite does not promise RETURNING's order, and asking for it costs one statement per
        # row (half of batch intake's time). It gives each new row the largest rowid plus one
        # and we hold its only write lock (BEGIN IMMEDIATE): ascending ids are the rows' order.
        ids = sorted(session.scalars(statement.returning(LEDGER.c.id), rows))
    session.execute(insert(OUTBOX), [{"entry_id": i} for i in ids])
    return ids


def entry_view(
    entry_id: int, staff_no: str, event_id: str | None, row: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "member": staff_no,
        "category": row["category"],
        "points": row["points"],
        "reason": row["reason"],
        "explanation": explain(row["points"], row["detail"], row["rule_version"], row["reason"]),
        "rule_version": row["rule_version"],
        "detail": row["detail"],
        "event_id": event_id,
        "occurred_at": row["occurred_at"].isoformat(),
        "local_date": row["local_date"].isoformat(),
    }


_SHOWN = ("category", "points", "reason", "rule_version", "detail", "occurred_at", "local_date")


def stored_view(entry: LedgerEntry, staff_no: str, event_id: str | None) -> dict[str, Any]:
    """A stored entry's view, the same as ``entry_view`` gives for it when it was written."""
    return entry_view(entry.id, staff_no, event_id, {c: getattr(entry, c) for c in _SHOWN})
