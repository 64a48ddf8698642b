"""What the engine takes and gives: facts about one event, entries, and a member's state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.common.calendar import period_key

# Words for each period, as members read them in reasons ("daily cap reached").
ADJECTIVE = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "year": "yearly",
    "all": "lifetime",
}


@dataclass(frozen=True)
class Fact:
    """One event as the engine sees it; ``day`` is its local date in the organisation's zone."""

    type: str
    data: Mapping[str, Any]
    occurred_at: datetime
    day: date


@dataclass(frozen=True)
class Entry:
    """One ledger entry the engine asks for. ``kind``: event, streak or badge."""

    kind: str
    category: str
    points: int
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    # (badge code, window key) for a badge, so the caller can record it once per window.
    badge: tuple[str, str] | None = None


class State:
    """A member's engine state: named integer counters (cap usage, streak, attempts, badges).

    ``known`` lists the keys the caller loaded (absent rows count as 0). Reading any other key
    raises, so a state loaded in bulk can never be silently incomplete. Without ``known`` every
    key reads as 0 until set: the empty state a replay starts from.
    """

    def __init__(self, values: Mapping[str, int] | None = None, known: Iterable[str] | None = None):
        self.values: dict[str, int] = dict(values or {})
        self.known: set[str] | None = None if known is None else set(known) | set(self.values)
        self.changed: set[str] = set()

    def get(self, key: str) -> int:
        if self.known is not None and key not in self.known:
            raise KeyError(f"state key {key!r} was not loaded")
        return self.values.get(key, 0)

    def set(self, key: str, value: int) -> None:
        if self.known is not None and key not in self.known:
            raise KeyError(f"state key {key!r} was not loaded")
        if self.values.get(key, 0) != value:
            self.values[key] = value
            self.changed.add(key)

    def add(self, key: str, amount: int) -> int:
        value = self.get(key) + amount
        self.set(key, value)
        return value


def window_key(window: str, day: date) -> str:
    """The key of the period of kind ``window`` holding ``day`` ('all' for a lifetime)."""
    return period_key(window, day)
