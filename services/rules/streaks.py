"""Streaks: consecutive local days (or ISO weeks) with at least one qualifying activity.

The document's ``streak`` names the activities that qualify (event types, optionally only some
values of their data), the unit (``day`` or ``week``, in the organisation's time zone) and the
milestones that earn a bonus. A day with an activity extends the streak when it follows the
last active day, starts a new one after a gap (the old streak's length stays visible in the
entry's detail), and changes nothing when it repeats the last day. An event dated before the
last active day (a late arrival) counts as activity but never re-joins a broken streak.
A milestone's bonus is earned when the streak reaches that length, once per streak.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.rules.model import Fact, State

UNITS = {"day": "day", "week": "week"}


def unit_index(day: date, per: str) -> int:
    """Consecutive days (or ISO weeks, Monday first) have consecutive indexes."""
    if per == "week":
        return (day - timedelta(days=day.weekday())).toordinal() // 7
    return day.toordinal()


def keys(config: dict[str, Any] | None) -> list[str]:
    if not config:
        return []
    per = config["per"]
    return [f"streak:{per}:{name}" for name in ("last", "length", "best")]


def qualifies(config: dict[str, Any] | None, fact: Fact) -> bool:
    if not config or fact.type not in config["activities"]:
        return False
    wanted: dict[str, list[str]] = config["activities"][fact.type]
    return all(str(fact.data.get(name)) in values for name, values in wanted.items())


def advance(config: dict[str, Any], fact: Fact, state: State) -> dict[str, Any]:
    """Count the fact's day as active; return the streak as it now stands."""
    per = config["per"]
    last_key, length_key, best_key = keys(config)
    unit, last, length = unit_index(fact.day, per), state.get(last_key), state.get(length_key)
    detail: dict[str, Any] = {"per": per, "grew": False}
    if last == 0 or unit > last + 1:
        if last:
            detail["broken"] = {"length": length, "last_active": _label(last, per)}
        length = 1
        state.set(last_key, unit)
        detail["grew"] = True
    elif unit == last + 1:
        length += 1
        state.set(last_key, unit)
        detail["grew"] = True
    elif unit < last:
        detail["late"] = True
    state.set(length_key, length)
    best = max(state.get(best_key), length)
    state.set(best_key, best)
    detail.update(length=length, best=best)
    return detail


def current(config: dict[str, Any] | None, state: State) -> int:
    if not config:
        return 0
    return state.get(f"streak:{config['per']}:length")


def milestone(config: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any] | None:
    if not detail["grew"]:
        return None
    for stone in config.get("milestones", []):
        if stone["length"] == detail["length"]:
            return dict(stone)
    return None


def standing(config: dict[str, Any], values: dict[str, int], today: date) -> dict[str, Any]:
    """A member's streak as of ``today``: a streak whose last unit is older than yesterday's
    (last week's) is broken, and shows as 0 with its former length."""
    per = config["per"]
    last = values.get(f"streak:{per}:last", 0)
    length = values.get(f"streak:{per}:length", 0)
    alive = bool(last) and unit_index(today, per) - last <= 1
    return {
        "per": per,
        "current": length if alive else 0,
        "best": values.get(f"streak:{per}:best", 0),
        "last_active": _label(last, per) if last else None,
        "broken": bool(last) and not alive,
        "ended_length": 0 if alive else length,
    }


def _label(index: int, per: str) -> str:
    if per == "week":
        return date.fromordinal(index * 7 + 1).isoformat()  # that week's Monday
    return date.fromordinal(index).isoformat()
