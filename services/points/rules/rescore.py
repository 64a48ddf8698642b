"""Re-scoring: price a period's events again under a published version, write the difference
as new, compensating ledger entries, and bring the engine's state and badges in line with it.
Old entries are never edited.

1. The period's members are locked (as intake locks them), so no event of theirs is priced
   while their history is re-derived.
2. One replay (``services.rules.replay``, the path previews take) runs the period's
   events from an empty state at its start under the version, then the same members' later
   events under the versions that priced them: its state is where the live state must stand.
3. Per event and category, the compensation is what the version gives now minus what the
   event's entries (its own, its streak bonus, earlier compensations; not badges) hold.
4. Badges follow the replay (``rescore_badges``), and the live counters take the replay's values
   for everything the re-score owns (``services.points.rules.resync``).

Running it again finds nothing left to compensate, no badge to change and no counter to move,
so re-scoring twice is re-scoring once; a retried request with the same key is answered from
the audit log without even that. New entries reach the leaderboards through the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.common.errors import Conflict
from services.points.ledger.audit import find, write
from services.points.ledger.entries import insert_entries
from services.points.rules import history, rescore_badges, scoring
from services.points.rules.published import RuleBook
from services.points.rules.resync import BadgeKey, resync
from services.rules import Entry, Fact, State, replay


def rescore(
    session: Session,
    *,
    version: int,
    document: dict[str, Any],
    book: RuleBook,
    start: date,
    end: date,
    key: str,
    actor: str,
    zone_name: str,
    now: datetime,
) -> tuple[bool, dict[str, Any]]:
    """(replayed, summary): the summary of the first run when ``key`` was used before."""
    done = _answered_before(session, actor, key)
    if done is not None:
        return True, done
    events = _locked_events(session, start, end, zone_name)
    period = [e for e in events if e["type"] in document["event_types"]]
    member_ids = {e["member"]: e["member_id"] for e in period}
    facts = [_fact(e, zone_name) for e in period]
    _, after = history.bounds(start, end, zone_name)
    states: dict[str, State] = {}
    resolve = _resolver(document, version, book, after)
    target = _replay(session, period, facts, states, resolve, after, zone_name)
    rows, members, earned = _compensations(period, target, facts, version, key, now)
    insert_entries(session, rows)
    badges = rescore_badges.reconcile(
        session,
        earned,
        set(member_ids.values()),
        start=start,
        end=end,
        version=version,
        key=key,
        now=now,
    )
    moved = _resync(session, member_ids, states, start, badges.held)
    summary = {
        "version": version,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "events": len(events),
        "events_kept_as_they_are": len(events) - len(period),
        **_changed(rows, members, member_ids, badges),
        "state_changes": moved,
    }
    write(session, actor=actor, action="rescore", key=key, member_id=None, detail=summary, now=now)
    return False, summary


def _answered_before(session: Session, actor: str, key: str) -> dict[str, Any] | None:
    """The first run's summary when this request id was used for a re-score already."""
    done = find(session, actor, key)
    if done is None:
        return None
    if done.action != "rescore":
        raise Conflict(f"Request id {key!r} was already used for an {done.action}.")
    return done.detail


def _resolver(
    document: dict[str, Any], version: int, book: RuleBook, after: datetime
) -> Callable[[Fact], tuple[dict[str, Any], int]]:
    """The version each replayed event is priced under: ``version`` inside the period, the
    version that priced it for a later event."""

    def resolve(fact: Fact) -> tuple[dict[str, Any], int]:
        if fact.occurred_at < after:
            return document, version
        rule = book.at(fact.occurred_at)
        return rule.document, rule.version

    return resolve


def _replay(
    session: Session,
    period: list[dict[str, Any]],
    facts: list[Fact],
    states: dict[str, State],
    resolve: Callable[[Fact], tuple[dict[str, Any], int]],
    after: datetime,
    zone_name: str,
) -> list[list[Entry]]:
    """The entries each of the period's events earns now. The replay runs the period from
    an empty state, then the same members' later events, leaving in ``states`` where each
    member's state must stand."""
    since = history.events_since(session, {e["member_id"] for e in period}, after)
    later = [(e["member"], _fact(e, zone_name)) for e in since]
    later = [(m, f) for m, f in later if f.type in resolve(f)[0]["event_types"]]
    pairs = [(e["member"], f) for e, f in zip(period, facts, strict=True)]
    return replay(pairs + later, resolve, states)[: len(period)]


def _compensations(
    period: list[dict[str, Any]],
    target: list[list[Entry]],
    facts: list[Fact],
    version: int,
    key: str,
    now: datetime,
) -> tuple[list[dict[str, Any]], set[str], dict[int, dict[BadgeKey, rescore_badges.Earned]]]:
    """The compensating rows, the members they change, and the badges the replay awarded."""
    rows = []
    members: set[str] = set()
    earned: dict[int, dict[BadgeKey, rescore_badges.Earned]] = {}
    for event, entries, fact in zip(period, target, facts, strict=True):
        for category, change, was, now_points in _changes(event["earned"], entries):
            members.add(event["member"])
            rows.append(_row(event, fact, category, change, was, now_points, version, key, now))
        for entry in entries:
            if entry.badge is not None:
                mine = earned.setdefault(event["member_id"], {})
                mine[entry.badge] = rescore_badges.Earned(entry, event, fact)
    return rows, members, earned


def _changed(
    rows: list[dict[str, Any]],
    members: set[str],
    member_ids: dict[str, int],
    badges: rescore_badges.Outcome,
) -> dict[str, int]:
    """What the re-score wrote, for its summary: ``members`` had entries compensated, and
    the members of ``badges`` had badges changed."""
    changed = members | {s for s, m in member_ids.items() if m in badges.members}
    return {
        "entries_written": len(rows) + badges.rows,
        "points_change": sum(row["points"] for row in rows) + badges.points,
        "members_changed": len(changed),
        "badges_awarded": badges.awarded,
        "badges_revoked": badges.revoked,
        "badges_repriced": badges.repriced,
    }


def _locked_events(
    session: Session, start: date, end: date, zone_name: str
) -> list[dict[str, Any]]:
    """The period's events, read again once their members are locked (until no new member
    shows up: an event may land between the read and the lock)."""
    locked: set[int] = set()
    while True:
        events = history.events_between(session, start, end, zone_name)
        members = {e["member_id"] for e in events}
        if members <= locked:
            return events
        scoring.lock_members(session, members - locked)
        locked |= members


def _resync(
    session: Session,
    member_ids: dict[str, int],
    states: dict[str, State],
    start: date,
    held: dict[int, set[BadgeKey]],
) -> int:
    live = scoring.load_members_state(session, set(member_ids.values()))
    moved = 0
    for staff_no, member_id in sorted(member_ids.items()):
        replayed = states[staff_no].values if staff_no in states else {}
        new = resync(live[member_id], replayed, start, held[member_id])
        moved += scoring.replace_state(session, member_id, live[member_id], new)
    return moved


def _fact(event: dict[str, Any], zone_name: str) -> Fact:
    instant = event["occurred_at"]
    return Fact(event["type"], event["data"], instant, local_date(instant, zone_name))


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
