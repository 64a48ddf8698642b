"""Once per thing: one award per member per session, quiz or any other thing a rule names.

A rule with ``"once_per": "<data field>"`` counts each value of that field once per member.
``"attempts"`` says what a repeat earns:

- ``first`` (the default): the first event for the thing earns; every repeat earns 0.
- ``best``: a repeat earns only what it adds to the best so far (never less than 0), so the
  thing's total is always the points of its best attempt.
- ``pass``: only the first attempt at or above ``pass_percent`` (of ``max_score``) earns; the
  attempts before it and after it earn 0.

Repeats are judged on the base points, before multipliers and caps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.rules.model import Fact, State


@dataclass(frozen=True)
class Attempt:
    points: int  # what this event may earn before multipliers and caps
    counted: bool  # whether it counts as activity (streaks, badge counts): not a bare repeat
    note: str  # words for the reason, or ""
    detail: dict[str, Any] | None


def thing_of(rule: dict[str, Any], fact: Fact) -> str | None:
    field_name = rule.get("once_per")
    return None if field_name is None else str(fact.data.get(field_name))


def keys(rule: dict[str, Any], fact: Fact) -> list[str]:
    thing = thing_of(rule, fact)
    if thing is None:
        return []
    return [f"seen:{fact.type}:{thing}", f"best:{fact.type}:{thing}"]


def apply(rule: dict[str, Any], fact: Fact, base: int, state: State) -> Attempt:
    thing = thing_of(rule, fact)
    if thing is None:
        return Attempt(base, True, "", None)
    field_name = rule["once_per"]
    policy = rule.get("attempts", "first")
    seen_key, best_key = keys(rule, fact)
    number = state.add(seen_key, 1)
    detail: dict[str, Any] = {"policy": policy, field_name: thing, "number": number}
    detail["field"] = field_name
    if policy == "best":
        return _best(state, best_key, base, number, detail)
    if policy == "pass":
        return _pass(rule, fact, state, best_key, base, detail)
    if number == 1:
        return Attempt(base, True, "", detail)
    detail["result"] = "repeat"
    return Attempt(0, False, f"already counted for {field_name} {thing}", detail)


def _best(state: State, key: str, base: int, number: int, detail: dict[str, Any]) -> Attempt:
    if number == 1:
        state.set(key, base)
        return Attempt(base, True, "", detail)
    best = state.get(key)
    detail["best_before"] = best
    if base <= best:
        detail["result"] = "no_better"
        return Attempt(0, False, f"no better than your best attempt ({best:+d})", detail)
    state.set(key, base)
    detail["result"] = "better"
    return Attempt(base - best, True, f"better than your best attempt ({best:+d})", detail)


def _pass(
    rule: dict[str, Any], fact: Fact, state: State, key: str, base: int, detail: dict[str, Any]
) -> Attempt:
    mark = int(rule["pass_percent"])
    detail["pass_percent"] = mark
    if state.get(key):
        detail["result"] = "already_passed"
        return Attempt(0, False, "already passed", detail)
    score = Decimal(str(fact.data["score"]))
    if score * 100 >= mark * Decimal(str(fact.data["max_score"])):
        state.set(key, 1)
        detail["result"] = "passed"
        return Attempt(base, True, f"passed ({mark}% or more)", detail)
    detail["result"] = "below_pass"
    return Attempt(0, True, f"below the pass mark of {mark}%: not counted", detail)
