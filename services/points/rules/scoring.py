"""The rule engine inside the intake transaction: lock, load state in bulk, score, save.

Two requests for the same member must never both pass a cap. On PostgreSQL the members of a
request are locked (``SELECT ... FOR UPDATE``, by id so that two batches never deadlock) before
anything is read; SQLite already runs one writer at a time (``BEGIN IMMEDIATE``). The engine's
state for every member of a batch is read with a few set-based queries and the changes are
written back with one multi-row upsert, never one query per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.points.delivery import events as delivery_events
from services.points.models import BadgeAward, Member, RuleState
from services.points.rules.published import RuleVersion
from services.rules import Entry, Fact, State, needed_keys, score
from services.rules.pricing import Award

KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Job:
    """One new event to score: whose, under which version, and its base price."""

    member_id: int
    fact: Fact
    rule: RuleVersion
    base: Award


def lock_members(session: Session, member_ids: Iterable[int]) -> None:
    ids = sorted(set(member_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Member.id).where(Member.id.in_(ids)).order_by(Member.id).with_for_update()
        )


def score_jobs(session: Session, jobs: Sequence[Job]) -> list[list[Entry]]:
    """The entries of each job, in order; the state they change is saved in the session."""
    wanted: dict[int, set[str]] = {}
    for job in jobs:
        wanted.setdefault(job.member_id, set()).update(needed_keys(job.fact, job.rule.document))
    loaded = load_state(session, wanted)
    states = {m: State(loaded.get(m, {}), known=keys) for m, keys in wanted.items()}
    results = [
        score(job.fact, job.rule.document, job.rule.version, states[job.member_id], job.base)
        for job in jobs
    ]
    save_state(session, states)
    return results


def load_state(session: Session, wanted: dict[int, set[str]]) -> dict[int, dict[str, int]]:
    all_keys = sorted(set().union(*wanted.values())) if wanted else []
    found: dict[int, dict[str, int]] = {}
    members = sorted(wanted)
    for start in range(0, len(all_keys), KEYS_PER_QUERY):
        chunk = all_keys[start : start + KEYS_PER_QUERY]
        rows = session.execute(
            select(RuleState.member_id, RuleState.key, RuleState.value).where(
                RuleState.member_id.in_(members), RuleState.key.in_(chunk)
            )
        )
        for member_id, key, value in rows:
            found.setdefault(member_id, {})[key] = value
    return found


def save_state(session: Session, states: dict[int, State]) -> None:
    rows = [
        {"member_id": member_id, "key": key, "value": state.values[key]}
        for member_id, state in states.items()
        for key in sorted(state.changed)
    ]
    if not rows:
        return
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = module.insert(RuleState)
    upsert = statement.on_conflict_do_update(
        index_elements=["member_id", "key"], set_={"value": statement.excluded.value}
    )
    session.execute(upsert, rows)


def load_members_state(session: Session, member_ids: set[int]) -> dict[int, dict[str, int]]:
    """Every counter of these members (a re-score re-derives whole states, not single keys)."""
    found: dict[int, dict[str, int]] = {member_id: {} for member_id in member_ids}
    members = sorted(member_ids)
    for start in range(0, len(members), KEYS_PER_QUERY):
        rows = session.execute(
            select(RuleState.member_id, RuleState.key, RuleState.value).where(
                RuleState.member_id.in_(members[start : start + KEYS_PER_QUERY])
            )
        )
        for member_id, key, value in rows:
            found[member_id][key] = value
    return found


def replace_state(
    session: Session, member_id: int, old: dict[str, int], new: dict[str, int]
) -> int:
    """Make the member's stored counters ``new`` (absent keys read as 0); how many changed."""
    gone = sorted(key for key in old if key not in new)
    changed = {key: value for key, value in new.items() if old.get(key) != value}
    for start in range(0, len(gone), KEYS_PER_QUERY):
        session.execute(
            delete(RuleState).where(
                RuleState.member_id == member_id,
                RuleState.key.in_(gone[start : start + KEYS_PER_QUERY]),
            )
        )
    if changed:
        state = State(old)
        for key, value in changed.items():
            state.set(key, value)
        save_state(session, {member_id: state})
    return len([key for key in gone if old[key]]) + len(changed)


def record_badges(session: Session, awarded: list[tuple[int, int, Entry, int, datetime]]) -> None:
    """(member id, entry id, badge entry, rule version, when) for each badge just earned."""
    rows: list[dict[str, Any]] = []
    for member_id, entry_id, entry, version, when in awarded:
        assert entry.badge is not None
        code, window = entry.badge
        rows.append(
            {
                "member_id": member_id,
                "code": code,
                "window": window,
                "entry_id": entry_id,
                "title": entry.detail["title"],
                "icon": entry.detail.get("icon"),
                "rule_version": version,
                "awarded_at": when,
            }
        )
    if rows:
        session.execute(insert(BadgeAward), rows)
        delivery_events.badges_earned(session, rows)  # in the same transaction: the outbox


def fact_of(event_type: str, data: dict[str, Any], occurred_at: datetime, day: date) -> Fact:
    return Fact(event_type, data, occurred_at, day)
