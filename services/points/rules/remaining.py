"""What a member can still earn today under the caps ("today's quiz can still earn 5"), for
the leaderboard's catch-up (the answer's shape is ``services.contracts.RemainingTodaySchema``).

``remaining_for`` loads what it needs (the member, their cap usage from ``points_rule_state``)
and calls the pure part below.

``remaining_today(document, usage, today)`` takes the rule set in force today, the member's cap
usage (the engine's ``cap:`` counters, as ``usage_keys`` names them for today's local day, ISO
week, month, quarter and year) and today's local date in the organisation's zone. It answers:

- per event type: ``remaining``, the room left under every cap that applies to the type (its
  own caps and its category's), the tightest one winning; ``None`` when no cap applies (no
  limit). Never negative: usage above a cap (a cap lowered since) leaves 0. ``cap`` is the
  tightest cap, or ``None``. ``best_award`` is the most one more event of the type can still
  earn today: the rule's top award (flat points, the best value of ``by``, the top score band)
  for a thing not yet counted (a new quiz or session: a retake earns only its improvement),
  times today's campaigns with the one rounding rule, bounded by ``remaining``; 0 when the rule
  only penalises.
- per category: ``remaining``, the room left under the category's own caps and, when every
  event type of the category that can award points today has caps of its own, no more than
  the sum of their rooms (0 when none of them can award); ``None`` when nothing bounds it.
  ``cap`` is the category's own tightest cap, or ``None``.

Streak milestones and badges are not counted: they are bonuses on top, not room under a cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.points import org
from services.points.rules.published import RuleVersion
from services.points.rules.scoring import load_state
from services.rules import caps, multipliers
from services.rules.model import Fact


@dataclass(frozen=True)
class CapUse:
    """One cap as it stands today: ``used`` of ``limit`` in the period ``per``."""

    scope: str  # "event_type:quiz" or "category:study"
    per: str
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True)
class TypeRoom:
    category: str
    remaining: int | None  # None: no cap applies
    best_award: int
    cap: CapUse | None


@dataclass(frozen=True)
class CategoryRoom:
    remaining: int | None  # None: nothing bounds it
    cap: CapUse | None


@dataclass(frozen=True)
class Remaining:
    day: date
    event_types: dict[str, TypeRoom]
    categories: dict[str, CategoryRoom]


def usage_keys(document: dict[str, Any], today: date) -> list[str]:
    """Every state key ``remaining_today`` reads: the caps' counters for today's periods."""
    found = {
        cap.key
        for event_type, rule in document.get("event_types", {}).items()
        for cap in caps.applicable(document, _fact(event_type, today), rule["category"])
    }
    return sorted(found)


def remaining_today(document: dict[str, Any], usage: Mapping[str, int], today: date) -> Remaining:
    """Per event type and per category, what the member can still earn on ``today``."""
    event_types: dict[str, TypeRoom] = {}
    own_room: dict[str, int | None] = {}  # the room under each type's own caps alone
    unbounded: dict[str, int] = {}  # each type's best award before caps
    category_caps: dict[str, list[CapUse]] = {}
    for event_type, rule in document.get("event_types", {}).items():
        category, fact = rule["category"], _fact(event_type, today)
        found = [_use(cap, usage) for cap in caps.applicable(document, fact, category)]
        own_room[event_type] = _room(_tightest([c for c in found if c.scope.startswith("event_")]))
        category_caps[category] = [c for c in found if c.scope.startswith("category:")]
        unbounded[event_type] = max(0, top_award(rule, multipliers.in_force(document, fact)))
        tightest = _tightest(found)
        room = _room(tightest)
        best = unbounded[event_type] if room is None else min(unbounded[event_type], room)
        event_types[event_type] = TypeRoom(category, room, best, tightest)
    categories = {}
    for name, found in sorted(category_caps.items()):
        tightest = _tightest(found)
        bounds = [] if tightest is None else [tightest.remaining]
        # No more than the own rooms of the types that can award today, when all are capped.
        rooms = [
            own_room[event_type]
            for event_type, room in event_types.items()
            if room.category == name and unbounded[event_type] > 0
        ]
        known = [r for r in rooms if r is not None]
        if len(known) == len(rooms):
            bounds.append(sum(known))
        categories[name] = CategoryRoom(min(bounds, default=None), tightest)
    return Remaining(today, event_types, categories)


def top_award(rule: dict[str, Any], campaigns: list[dict[str, Any]]) -> int:
    """The most one event of ``rule`` can earn before caps: its best base points, multiplied."""
    if "score_bands" in rule:
        base = max(
            [int(b["points"]) for b in rule["score_bands"]] + [int(rule.get("otherwise", 0))]
        )
    elif "by" in rule:
        base = max(int(points) for points in rule["points"].values())
    else:
        base = int(rule["points"])
    return multipliers.apply(base, campaigns)[0]


def _use(cap: caps.Cap, usage: Mapping[str, int]) -> CapUse:
    return CapUse(cap.scope, cap.per, cap.limit, int(usage.get(cap.key, 0)))


def _room(cap: CapUse | None) -> int | None:
    return None if cap is None else cap.remaining


def _tightest(found: list[CapUse]) -> CapUse | None:
    # The same order the engine uses to pick the cap that decides (caps.apply).
    return min(found, key=lambda c: (c.limit - c.used, c.per, c.scope), default=None)


def _fact(event_type: str, today: date) -> Fact:
    """A fact of ``event_type`` on ``today``: the caps and campaigns look at its day only."""
    return Fact(event_type, {}, datetime.combine(today, time.min), today)


def remaining_for(
    session: Session, staff_no: str, rule: RuleVersion, zone_name: str, now: datetime
) -> Remaining:
    """What the member can still earn on today's local date (404 for an unknown member)."""
    member = org.member_by_staff_no(session, staff_no)
    today = local_date(now, zone_name)
    keys = usage_keys(rule.document, today)
    usage = load_state(session, {member.id: set(keys)}).get(member.id, {})
    return remaining_today(rule.document, usage, today)
