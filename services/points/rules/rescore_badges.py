"""Badges after a re-score: award what the new rules give, revoke what they no longer give.

Badges are ledger history, so nothing is edited: an award is a new badge entry (and a row in
``points_badges``), a revocation is a compensating entry taking back every point the badge's
entries carried plus a marker on its row (``revoked_at``, ``revoked_entry_id``), and a badge
still earned but worth other points under the new rules gets one compensating entry for the
difference. ``services.points.rules.resync.badge_changes`` decides which; this module writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.ledger.entries import insert_entries
from services.points.models import BadgeAward, LedgerEntry
from services.points.rules import scoring
from services.points.rules.resync import BadgeKey, badge_changes
from services.rules import Entry, Fact


@dataclass(frozen=True)
class Earned:
    """A badge the replay awarded on an event of the period."""

    entry: Entry
    event: dict[str, Any]
    fact: Fact


@dataclass
class Outcome:
    held: dict[int, set[BadgeKey]]  # what each member holds afterwards
    awarded: int = 0
    revoked: int = 0
    repriced: int = 0
    rows: int = 0
    points: int = 0
    members: set[int] = field(default_factory=set)


def reconcile(
    session: Session,
    earned: Mapping[int, Mapping[BadgeKey, Earned]],
    member_ids: set[int],
    *,
    start: date,
    end: date,
    version: int,
    key: str,
    now: datetime,
) -> Outcome:
    awards = _held(session, member_ids)
    points = _held_points(session, member_ids, start, end)
    outcome = Outcome(held={m: set() for m in member_ids})
    new_awards: list[tuple[int, Earned]] = []
    rows: list[dict[str, Any]] = []
    revoked: list[BadgeAward | None] = []  # beside each row: the award it revokes, if any
    for member_id in sorted(member_ids):
        mine = awards.get(member_id, {})
        held = {badge: points.get((member_id, *badge), 0) for badge in mine}
        wanted = {badge: e.entry.points for badge, e in earned.get(member_id, {}).items()}
        changes = badge_changes(wanted, held, start, end)
        outcome.held[member_id] = (set(mine) | set(changes.award)) - set(changes.revoke)
        new_awards += [(member_id, earned[member_id][badge]) for badge in changes.award]
        for badge in changes.revoke:
            rows.append(_compensation(mine[badge], -held[badge], version, key, now, True))
            revoked.append(mine[badge])
        for badge, change in changes.reprice:
            rows.append(_compensation(mine[badge], change, version, key, now, False))
            revoked.append(None)
        outcome.revoked += len(changes.revoke)
        outcome.repriced += len(changes.reprice)
        if changes.award or changes.revoke or changes.reprice:
            outcome.members.add(member_id)
    ids = insert_entries(session, rows)
    for award, entry_id in zip(revoked, ids, strict=True):
        if award is not None:
            award.revoked_at, award.revoked_entry_id = now, entry_id
    award_rows = _award(session, new_awards, version, key, now)
    outcome.awarded = len(new_awards)
    outcome.rows = len(rows) + len(award_rows)
    outcome.points = sum(r["points"] for r in rows) + sum(r["points"] for r in award_rows)
    return outcome


def _award(
    session: Session, new_awards: list[tuple[int, Earned]], version: int, key: str, now: datetime
) -> list[dict[str, Any]]:
    """Write the badges the replay awarded and nobody holds yet; their ledger rows."""
    award_rows = [_award_row(member_id, e, version, key, now) for member_id, e in new_awards]
    award_ids = insert_entries(session, award_rows)
    scoring.record_badges(
        session,
        [
            (member_id, entry_id, e.entry, version, now)
            for (member_id, e), entry_id in zip(new_awards, award_ids, strict=True)
        ],
    )
    return award_rows


def _held(session: Session, member_ids: set[int]) -> dict[int, dict[BadgeKey, BadgeAward]]:
    found: dict[int, dict[BadgeKey, BadgeAward]] = {}
    for award in session.scalars(
        select(BadgeAward).where(
            BadgeAward.member_id.in_(sorted(member_ids)), BadgeAward.revoked_at.is_(None)
        )
    ):
        found.setdefault(award.member_id, {})[(award.code, award.window)] = award
    return found


def _held_points(
    session: Session, member_ids: set[int], start: date, end: date
) -> dict[tuple[int, str, str], int]:
    """{(member, code, window): points} over the badge entries of the period's local dates
    (an award, and any revocation or re-pricing, is dated on the day that earned it)."""
    found: dict[tuple[int, str, str], int] = {}
    rows = session.execute(
        select(LedgerEntry.member_id, LedgerEntry.points, LedgerEntry.detail).where(
            LedgerEntry.member_id.in_(sorted(member_ids)),
            LedgerEntry.local_date >= start,
            LedgerEntry.local_date <= end,
        )
    )
    for member_id, points, detail in rows:
        if (detail or {}).get("kind") == "badge":
            badge = (member_id, detail["badge"], detail["window"])
            found[badge] = found.get(badge, 0) + points
    return found


def _award_row(
    member_id: int, earned: Earned, version: int, key: str, now: datetime
) -> dict[str, Any]:
    entry, event = earned.entry, earned.event
    title = entry.detail["title"]
    return {
        "member_id": member_id,
        "unit_id": event["unit_id"],
        "event_id": event["id"],
        "category": entry.category,
        "points": entry.points,
        "rule_version": version,
        "reason": (
            f"Badge earned on re-scoring under rule set v{version}: {title['en']} "
            f"({title['zh']}): {entry.points:+d} points"
        )[:500],
        "detail": {**entry.detail, "rescore": key},
        "occurred_at": event["occurred_at"],
        "local_date": earned.fact.day,
        "created_at": now,
    }


def _compensation(
    award: BadgeAward, points: int, version: int, key: str, now: datetime, revoke: bool
) -> dict[str, Any]:
    """A badge entry dated like the award it corrects, so it lands on the same boards."""
    original = award_entry(award)
    title = award.title
    what = f"{title['en']} ({title['zh']})"
    reason = (
        f"Badge revoked on re-scoring under rule set v{version}: {what} is no longer earned "
        f"in {award.window}: {points:+d} points"
        if revoke
        else f"Badge re-priced under rule set v{version}: {what}: {points:+d} points"
    )
    return {
        "member_id": award.member_id,
        "unit_id": original.unit_id,
        "event_id": original.event_id,
        "category": original.category,
        "points": points,
        "rule_version": version,
        "reason": reason[:500],
        "detail": {
            "kind": "badge",
            "rule": f"badges.{award.code}",
            "badge": award.code,
            "window": award.window,
            "title": title,
            "icon": award.icon,
            "rule_set_version": version,
            "rescore": key,
            "revoked" if revoke else "repriced": True,
            "points": points,
        },
        "occurred_at": original.occurred_at,
        "local_date": original.local_date,
        "created_at": now,
    }


def award_entry(award: BadgeAward) -> LedgerEntry:
    session = Session.object_session(award)
    assert session is not None
    entry = session.get(LedgerEntry, award.entry_id)
    assert entry is not None
    return entry
