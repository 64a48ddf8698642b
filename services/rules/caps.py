"""Caps: at most N points per member per event type (or category) per local period.

Only awards count towards a cap and are limited by it. An award past the cap is cut to what
is left (possibly 0) and still recorded, with the reason "daily cap reached" (weekly, ...), so
the member sees it. When several caps apply, the tightest one decides and every one of them
counts what was granted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.rules.model import ADJECTIVE, Fact, State, window_key


@dataclass(frozen=True)
class Cap:
    scope: str  # "event_type:quiz" or "category:study"
    per: str
    limit: int
    key: str


def applicable(document: dict[str, Any], fact: Fact, category: str) -> list[Cap]:
    caps = []
    for cap in document.get("caps", []):
        if cap.get("event_type", fact.type) != fact.type:
            continue
        if cap.get("category", category) != category:
            continue
        scope = f"event_type:{fact.type}" if "event_type" in cap else f"category:{category}"
        key = f"cap:{scope}:{window_key(cap['per'], fact.day)}"
        caps.append(Cap(scope, cap["per"], int(cap["points"]), key))
    return caps


def apply(points: int, caps: list[Cap], state: State) -> tuple[int, dict[str, Any] | None]:
    """Cut ``points`` to what the caps leave, count it, and say how much of the cap is used."""
    if not caps or points <= 0:
        return points, None
    used = {cap.key: state.get(cap.key) for cap in caps}
    tightest = min(caps, key=lambda cap: (cap.limit - used[cap.key], cap.per, cap.scope))
    before = used[tightest.key]
    granted = max(0, min(points, tightest.limit - before))
    for cap in caps:
        state.add(cap.key, granted)
    return granted, {
        "scope": tightest.scope,
        "per": tightest.per,
        "limit": tightest.limit,
        "used_before": before,
        "used": before + granted,
        "remaining": tightest.limit - before - granted,
        "reached": granted < points,
    }


def note(detail: dict[str, Any], wanted: int) -> str:
    what = detail["scope"].split(":", 1)[1]
    period = ADJECTIVE[detail["per"]]
    usage = f"{period} {what} cap {detail['limit']}, {detail['used']} used"
    if detail["reached"]:
        return f"{period} cap reached ({usage}; {wanted:+d} asked)"
    return usage
