"""Event intake: check, price and record events; the same event twice awards once.

One request is one transaction, whether it holds one event or a thousand:
1. check every event's shape, member and price (nothing is written for a bad event);
2. insert the good events with ``ON CONFLICT DO NOTHING`` on (sender, id), so that a replay,
   even one racing the first post in another process, inserts nothing;
3. score each new event with the rule engine (caps, streaks, badges ... read from SQL state,
   with the batch's members locked: see ``scoring``), and write its ledger entries (the
   event's own, then any streak bonus or badge) with an outbox row each; then hand the new
   events to their type's follow-up (``references``: a study session's attendance record);
4. answer replays with the first result (or 409 when the same id came with other content).

Steps 2 and 4 are ``idempotency``; the answers' shape is ``outcome``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.points.delivery import events as delivery_events
from services.points.intake import references
from services.points.intake.idempotency import answer_replays, digest, insert_new
from services.points.intake.outcome import Outcome, answer
from services.points.ledger.entries import entry_view, insert_entries, ledger_row
from services.points.models import Member
from services.points.rules import scoring
from services.points.rules.published import RuleBook, RuleVersion
from services.points.schemas import EventSchema
from services.points.sessions import attendance
from services.rules import Entry, validate_event
from services.rules.pricing import Award, PricingError, price

# Outcome lives with the answers' shape (``outcome``); callers take it from here.
__all__ = ["Outcome", "check_shapes", "record"]

MAX_FUTURE = timedelta(minutes=10)  # clock skew we forgive a sender
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


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
    """Price and record one request's checked events; each one's outcome, by position."""
    outcomes: dict[int, Outcome] = {}
    priced = _price_all(session, events, rules, outcomes)
    first_of: dict[str, _Priced] = {}
    for item in priced:
        first_of.setdefault(item.event["id"], item)
    scoring.lock_members(session, (p.member.id for p in first_of.values()))
    inserted = _insert_events(session, sender, list(first_of.values()), now)
    new = [p for p in first_of.values() if p.event["id"] in inserted]
    entries = _write_entries(session, new, inserted, zone_name, now)
    recorded = [(p.event, inserted[p.event["id"]], p.member) for p in new]
    references.follow_up(session, recorded, zone_name, now)
    for item in new:
        view = answer(item.event, entries[item.event["id"]], False, now)
        outcomes[item.index] = Outcome(201, view)
    replays = [p for p in priced if p.index not in outcomes]
    outcomes.update(answer_replays(session, sender, replays))
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
        priced.append(_Priced(index, event, member, rule, award, digest(event)))
    _name_sessions(session, priced)
    return priced


def _name_sessions(session: Session, priced: list[_Priced]) -> None:
    """Add a kept session's title to what its attendance entries are about (explanations)."""
    abouts = [p.award.detail["about"] for p in priced if p.event["type"] == "attendance"]
    named = attendance.titles(session, (a["session"] for a in abouts if "session" in a))
    for about in abouts:
        if about.get("session") in named:
            about["session_title"] = named[about["session"]]


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
    return insert_new(session, rows)


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
    _badges_and_levels(session, owners, ids, now)
    views: dict[str, list[dict[str, Any]]] = {p.event["id"]: [] for p in items}
    for (p, _), entry_id, row in zip(owners, ids, rows, strict=True):
        views[p.event["id"]].append(entry_view(entry_id, p.event["member"], p.event["id"], row))
    return views


def _badges_and_levels(
    session: Session, owners: list[tuple[_Priced, Entry]], ids: list[int], now: datetime
) -> None:
    """The badges the new entries award, and the levels they lift members to (told to the
    subscriptions in this transaction: the outbox)."""
    badges = [
        (p.member.id, entry_id, entry, p.rule.version, now)
        for (p, entry), entry_id in zip(owners, ids, strict=True)
        if entry.badge is not None
    ]
    scoring.record_badges(session, badges)
    levels = [(p.member, entry.points, p.rule.document.get("levels", [])) for p, entry in owners]
    delivery_events.levels_reached(session, levels)


def _invalid(messages: dict[str, Any]) -> Outcome:
    return Outcome(422, {"errors": messages})


def _nest(dotted: str, message: str) -> dict[str, Any]:
    """'data.rating' -> {'data': {'rating': [message]}}, the shape marshmallow uses."""
    head, _, rest = dotted.partition(".")
    return {head: _nest(rest, message) if rest else [message]}
