"""Re-scoring: price a period's events again under a published version, and write the
difference as new, compensating ledger entries. Old entries are never edited.

Per event and category, the compensation is what the version gives now minus what the event's
entries (its own, its streak bonus, earlier compensations; not badges) already hold. Running it
again finds nothing left to compensate, so re-scoring twice is re-scoring once; a retried request
with the same key is answered from the audit log without even that. Compensations reach the
leaderboards through the outbox like every entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.common.rules import Entry, Fact, replay
from services.points import history, scoring
from services.points.audit import find, write
from services.points.intake import insert_entries


def rescore(
    session: Session,
    *,
    version: int,
    document: dict[str, Any],
    start: date,
    end: date,
    key: str,
    actor: str,
    zone_name: str,
    now: datetime,
) -> tuple[bool, dict[str, Any]]:
    """(replayed, summary): the summary of the first run when ``key`` was used before."""
    done = find(session, actor, key)
    if done is not None:
        return True, done.detail
    events = history.events_between(session, start, end, zone_name)
    scoring.lock_members(session, {e["member_id"] for e in events})
    events = history.events_between(session, start, end, zone_name)  # as of the locks
    facts = [
        (
            e["member"],
            Fact(e["type"], e["data"], e["occurred_at"], local_date(e["occurred_at"], zone_name)),
        )
        for e in events
    ]
    target = replay(facts, lambda _fact: (document, version))
    rows = []
    members: set[str] = set()
    for event, entries, (_, fact) in zip(events, target, facts, strict=True):
        for category, change, was, now_points in _changes(event["earned"], entries):
            members.add(event["member"])
            rows.append(_row(event, fact, category, change, was, now_points, version, key, now))
    insert_entries(session, rows)
    summary = {
        "version": version,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "events": len(events),
        "entries_written": len(rows),
        "points_change": sum(row["points"] for row in rows),
        "members_changed": len(members),
    }
    write(session, actor=actor, action="rescore", key=key, member_id=None, detail=summary, now=now)
    return False, summary


def _changes(earned: dict[str, int], entries: list[Entry]) -> list[tuple[str, int, int, int]]:
    wanted: dict[str, int] = {}
    for entry in entries:
        if entry.kind != "badge":
            wanted[entry.category] = wanted.get(entry.category, 0) + entry.points
    changes = []
    for category in sorted(set(wanted) | set(earned)):
        was, now_points = earned.get(category, 0), wanted.get(category, 0)
        if was != now_points:
            changes.append((category, now_points - was, was, now_points))
    return changes


def _row(
    event: dict[str, Any],
    fact: Fact,
    category: str,
    change: int,
    was: int,
    now_points: int,
    version: int,
    key: str,
    now: datetime,
) -> dict[str, Any]:
    reason = (
        f"Re-scored under rule set v{version}: {category} was {was:+d}, now {now_points:+d}: "
        f"{change:+d} points"
    )
    return {
        "member_id": event["member_id"],
        "unit_id": event["unit_id"],
        "event_id": event["id"],
        "category": category,
        "points": change,
        "rule_version": version,
        "reason": reason,
        "detail": {
            "kind": "rescore",
            "rule_set_version": version,
            "rescore": key,
            "category": category,
            "was": was,
            "now": now_points,
        },
        "occurred_at": event["occurred_at"],
        "local_date": fact.day,
        "created_at": now,
    }
