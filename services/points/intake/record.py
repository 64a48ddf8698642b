"""Event intake: check, price and record events; the same event twice awards once.

One request is one transaction, whether it holds one event or a thousand:
1. check every event's shape, member and price (nothing is written for a bad event);
2. insert the good events with ``ON CONFLICT DO NOTHING`` on (sender, id), so that a replay,
   even one racing the first post in another process, inserts nothing;
3. score each new event with the rule engine (caps, streaks, badges ... read from SQL state,
   with the batch's members locked: see ``scoring``), and write its ledger entries (the
   event's own, then any streak bonus or badge) with an outbox row each;
4. answer replays with the first result (or 409 when the same id came with other content).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from marshmallow import ValidationError
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.points.ledger.entries import entry_view, insert_entries, ledger_row
from services.points.models import Event, LedgerEntry, Member
from services.points.rules import scoring
from services.points.rules.published import RuleBook, RuleVersion
from services.points.schemas import EventSchema
from services.rules import Entry, validate_event
from services.rules.pricing import Award, PricingError, price

# The tables, not the mapped classes: an INSERT on a class takes the ORM's bulk path, whose
# per-row bookkeeping cost about a third of batch intake.
EVENTS = cast(Table, Event.__table__)

MAX_FUTURE = timedelta(minutes=10)  # clock skew we forgive a sender
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Outcome:
    """What happened to one event: 201 new, 200 replay, 409 id reused, 422 invalid."""

    status: int
    body: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Priced:
    index: int
    event: dict[str, Any]
    member: Any
    rule: RuleVersion
    award: Award
    digest: str


# Made once: building the schema cost more than validating a single event with it.
_EVENT_SCHEMA = EventSchema()


def check_shapes(
    raw_events: list[Any], now: datetime
) -> tuple[list[tuple[int, dict[str, Any]]], dict[int, Any]]:
    """Validate each event on its own; return the good ones with their positions, and errors."""
    schema = _EVENT_SCHEMA
    good: list[tuple[int, dict[str, Any]]] = []
    errors: dict[int, Any] = {}
    for index, raw in enumerate(raw_events):
        if not isinstance(raw, dict):
            errors[index] = {"_schema": ["Must be a JSON object."]}
            continue
        try:
            event = schema.load(raw)
        except ValidationError as exc:
            errors[index] = exc.messages
            continue
        occurred = event["occurred_at"].astimezone(UTC)
        if occurred > now + MAX_FUTURE:
            errors[index] = {"occurred_at": ["Must not be in the future."]}
        elif occurred < EARLIEST:
            errors[index] = {"occurred_at": ["Must be on or after 2000-01-01."]}
        else:
            event["occurred_at"] = occurred
            good.append((index, event))
    return good, errors


def record(
    session: Session,
    sender: str,
    events: list[tuple[int, dict[str, Any]]],
    rules: RuleBook,
    zone_name: str,
    now: datetime,
) -> dict[int, Outcome]:
    outcomes: dict[int, Outcome] = {}
    priced = _price_all(session, events, rules, outcomes)
    first_of: dict[str, _Priced] = {}
    for item in priced:
        first_of.setdefault(item.event["id"], item)
    scoring.lock_members(session, (p.member.id for p in first_of.values()))
    inserted = _insert_events(session, sender, list(first_of.values()), now)
    new = [p for p in first_of.values() if p.event["id"] in inserted]
    entries = _write_entries(session, new, inserted, zone_name, now)
    for item in new:
        view = _result(item.event, entries[item.event["id"]], False, now)
        outcomes[item.index] = Outcome(201, view)
    replays = [p for p in priced if p.index not in outcomes]
    outcomes.update(_answer_replays(session, sender, replays))
    return outcomes


def _price_all(
    session: Session,
    events: list[tuple[int, dict[str, Any]]],
    rules: RuleBook,
    outcomes: dict[int, Outcome],
) -> list[_Priced]:
    staff_nos = {event["member"] for _, event in events}
    members = {
        m.staff_no: m
        for m in session.execute(
            select(Member.id, Member.staff_no, Member.unit_id, Member.active).where(
                Member.staff_no.in_(staff_nos)
            )
        )
    }
    priced: list[_Priced] = []
    for index, event in events:
        member = members.get(event["member"])
        if member is None or not member.active:
            state = "Unknown" if member is None else "Inactive"
            outcomes[index] = _invalid({"member": [f"{state} member {event['member']!r}."]})
            continue
        rule = rules.at(event["occurred_at"])
        try:
            award = price(event["type"], event["data"], rule.document, rule.version)
            validate_event(event["type"], event["data"], rule.document)
        except PricingError as exc:
            outcomes[index] = _invalid(_nest(exc.field_name, str(exc)))
            continue
        priced.append(_Priced(index, event, member, rule, award, _digest(event)))
    return priced


def _insert_events(
    session: Session, sender: str, items: list[_Priced], now: datetime
) -> dict[str, int]:
    """Insert what is new; return {sender's id: our id} for the rows this call inserted."""
    if not items:
        return {}
    rows = [
        {
            "sender": sender,
            "external_id": p.event["id"],
            "type": p.event["type"],
            "member_id": p.member.id,
            "occurred_at": p.event["occurred_at"],
            "data": p.event["data"],
            "payload_hash": p.digest,
            "received_at": now,
        }
        for p in items
    ]
    # One statement, executed for many rows: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") and caches the compiled form, where .values(rows) would compile a
    # new thousand-row statement per batch. Skipped replays return no row.
    statement = _skipping_known_ids(session).returning(EVENTS.c.id, EVENTS.c.external_id)
    return {row.external_id: row.id for row in session.execute(statement, rows)}


def _write_entries(
    session: Session,
    items: list[_Priced],
    event_ids: dict[str, int],
    zone_name: str,
    now: datetime,
) -> dict[str, list[dict[str, Any]]]:
    if not items:
        return {}
    days = [local_date(p.event["occurred_at"], zone_name) for p in items]
    jobs = [
        scoring.Job(
            p.member.id,
            scoring.fact_of(p.event["type"], p.event["data"], p.event["occurred_at"], day),
            p.rule,
            p.award,
        )
        for p, day in zip(items, days, strict=True)
    ]
    scored = scoring.score_jobs(session, jobs)
    rows: list[dict[str, Any]] = []
    owners: list[tuple[_Priced, Entry]] = []
    for p, day, entries in zip(items, days, scored, strict=True):
        for entry in entries:
            rows.append(
                ledger_row(
                    p.member,
                    event_ids[p.event["id"]],
                    entry,
                    p.rule.version,
                    p.event["occurred_at"],
                    day,
                    now,
                )
            )
            owners.append((p, entry))
    ids = insert_entries(session, rows)
    badges = [
        (p.member.id, entry_id, entry, p.rule.version, now)
        for (p, entry), entry_id in zip(owners, ids, strict=True)
        if entry.badge is not None
    ]
    scoring.record_badges(session, badges)
    views: dict[str, list[dict[str, Any]]] = {p.event["id"]: [] for p in items}
    for (p, _), entry_id, row in zip(owners, ids, rows, strict=True):
        views[p.event["id"]].append(entry_view(entry_id, p.event["member"], p.event["id"], row))
    return views


def _answer_replays(session: Session, sender: str, replays: list[_Priced]) -> dict[int, Outcome]:
    if not replays:
        return {}
    ids = {p.event["id"] for p in replays}
    stored = {
        e.external_id: e
        for e in session.scalars(
            select(Event).where(Event.sender == sender, Event.external_id.in_(ids))
        )
    }
    entries: dict[int, list[LedgerEntry]] = {}
    for entry in session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.event_id.in_([e.id for e in stored.values()]))
        .order_by(LedgerEntry.id)
    ):
        entries.setdefault(entry.event_id or 0, []).append(entry)
    outcomes: dict[int, Outcome] = {}
    for item in replays:
        event = stored[item.event["id"]]
        if event.payload_hash != item.digest:
            message = f"Event id {item.event['id']!r} was already used with other content."
            outcomes[item.index] = Outcome(409, {"message": message})
            continue
        views = [
            entry_view(e.id, item.event["member"], event.external_id, _entry_row(e))
            for e in entries.get(event.id, [])
        ]
        stored_event = {**item.event, "occurred_at": event.occurred_at}
        outcomes[item.index] = Outcome(200, _result(stored_event, views, True, event.received_at))
    return outcomes


def _entry_row(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "category": entry.category,
        "points": entry.points,
        "reason": entry.reason,
        "rule_version": entry.rule_version,
        "detail": entry.detail,
        "occurred_at": entry.occurred_at,
        "local_date": entry.local_date,
    }


def _result(
    event: dict[str, Any],
    entries: list[dict[str, Any]],
    duplicate: bool,
    received_at: datetime | None = None,
) -> dict[str, Any]:
    view = {
        "id": event["id"],
        "type": event["type"],
        "member": event["member"],
        "occurred_at": event["occurred_at"].isoformat(),
        "data": event["data"],
    }
    if received_at is not None:
        view["received_at"] = received_at.isoformat()
    return {"event": view, "entries": entries, "duplicate": duplicate}


def _digest(event: dict[str, Any]) -> str:
    content = {
        "type": event["type"],
        "member": event["member"],
        "occurred_at": event["occurred_at"].isoformat(),
        "data": event["data"],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _invalid(messages: dict[str, Any]) -> Outcome:
    return Outcome(422, {"errors": messages})


def _nest(dotted: str, message: str) -> dict[str, Any]:
    """'data.rating' -> {'data': {'rating': [message]}}, the shape marshmallow uses."""
    head, _, rest = dotted.partition(".")
    return {head: _nest(rest, message) if rest else [message]}


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
