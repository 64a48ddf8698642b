"""Levels: titles (Chinese and English) for thresholds of lifetime points."""

from __future__ import annotations

from typing import Any


def level_for(total: int, levels: list[dict[str, Any]]) -> dict[str, Any]:
    """The highest level reached with ``total`` lifetime points, and what the next one needs."""
    ordered = sorted(levels, key=lambda level: level["min_points"])
    reached = [level for level in ordered if total >= level["min_points"]]
    ahead = [level for level in ordered if total < level["min_points"]]
    current = reached[-1] if reached else None
    return {
        "level": None if current is None else ordered.index(current) + 1,
        "title": None if current is None else current["title"],
        "min_points": None if current is None else current["min_points"],
        "next": None
        if not ahead
        else {
            "level": ordered.index(ahead[0]) + 1,
            "title": ahead[0]["title"],
            "min_points": ahead[0]["min_points"],
            "points_needed": ahead[0]["min_points"] - total,
        },
    }
