"""Penalty floors: penalties never take a member's total in a period below a floor.

A floor ``{"per": "month", "min_total": -10, "category"?: "attendance"}`` keeps the sum of a
member's entries in that local period (in that category, or in all of them) from being pushed
below ``min_total`` by a penalty: a penalty is cut to what is left above the floor, possibly to
0. Awards are never cut, and they raise the total as usual. The total counts every entry priced
under a rule set that has the floor (its running sum starts when the floor is first used).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.rules.model import ADJECTIVE, State, window_key


@dataclass(frozen=True)
class Floor:
    scope: str  # a category, or "*" for all
    per: str
    min_total: int
    key: str


def applicable(document: dict[str, Any], day: Any, category: str) -> list[Floor]:
    floors = []
    for floor in document.get("floors", []):
        scope = floor.get("category", "*")
        if scope not in ("*", category):
            continue
        key = f"floor:{scope}:{window_key(floor['per'], day)}"
        floors.append(Floor(scope, floor["per"], int(floor["min_total"]), key))
    return floors


def apply(points: int, floors: list[Floor], state: State) -> tuple[int, dict[str, Any] | None]:
    """Cut a penalty to the room above every floor; add the result to every floor's total."""
    if not floors:
        return points, None
    totals = {floor.key: state.get(floor.key) for floor in floors}
    result, binding = points, floors[0]
    if points < 0:
        for floor in floors:
            room = min(0, floor.min_total - totals[floor.key])  # how far down it may still go
            if room > result:
                result, binding = room, floor
    for floor in floors:
        state.add(floor.key, result)
    if result == points and points >= 0:
        return result, None
    return result, {
        "scope": binding.scope,
        "per": binding.per,
        "min_total": binding.min_total,
        "total_before": totals[binding.key],
        "total": totals[binding.key] + result,
        "reached": result != points,
    }


def note(detail: dict[str, Any], wanted: int) -> str:
    period = ADJECTIVE[detail["per"]]
    scope = "" if detail["scope"] == "*" else f" {detail['scope']}"
    if detail["reached"]:
        return f"{period}{scope} floor {detail['min_total']} reached ({wanted:+d} asked)"
    return f"{period}{scope} floor {detail['min_total']}, total {detail['total']}"
