"""Campaigns: a window of local dates in which chosen event types earn a multiple.

The one rounding rule: the product of every campaign multiplier in force is applied to the
points once, and the result is rounded to the nearest whole number, halves away from zero
(2.5 -> 3). Only awards are multiplied: penalties (negative points) and 0 stay as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.rules.model import Fact

ROUNDING = "nearest whole point, halves away from zero"


def in_force(document: dict[str, Any], fact: Fact) -> list[dict[str, Any]]:
    day = fact.day.isoformat()
    return [
        c
        for c in document.get("campaigns", [])
        if c["from"] <= day <= c["to"] and fact.type in c["event_types"]
    ]


def apply(points: int, campaigns: list[dict[str, Any]]) -> tuple[int, dict[str, Any] | None]:
    if points <= 0 or not campaigns:
        return points, None
    factor = Decimal(1)
    for campaign in campaigns:
        factor *= Decimal(str(campaign["multiplier"]))
    result = int((points * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    detail = {
        "factor": str(factor.normalize()),
        "campaigns": [c["name"] for c in campaigns],
        "before": points,
        "after": result,
        "rounding": ROUNDING,
    }
    return result, detail


def note(detail: dict[str, Any]) -> str:
    return f"x{detail['factor']} for {', '.join(detail['campaigns'])}"
