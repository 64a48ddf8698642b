"""Figures from counts: plain arithmetic on plain values (no database).

A group's counts add up the unit tree (every member is in one unit, so distinct-member counts
add too); rates are shares of the group's members, to four places; None where nothing is
there to share (no members, no one expected).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from statistics import median
from typing import Any

from services.points import org
from services.points.analytics.counts import Tally

GROUPS = ("all", "leaders", "staff")
COUNTS = (
    "members",
    "expected",
    "attended",
    "took_quiz",
    "mastered",
    "reported",
    "approved",
    "exemplary",
    "active",
    "points",
)
SORTS = ("per_capita_daily", "activity_rate", "attendance_rate")


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(counts: Counter[str], days: int) -> dict[str, Any]:
    members = counts["members"]
    return {
        **{name: counts[name] for name in COUNTS},
        "attendance_rate": share(counts["attended"], counts["expected"]),
        "quiz_rate": share(counts["took_quiz"], members),
        "report_rate": share(counts["reported"], members),
        "activity_rate": share(counts["active"], members),
        "per_capita_daily": round(counts["points"] / members / days, 2) if members else None,
    }


def roll_up(tree: org.Tree, tally: Tally) -> dict[int | None, dict[str, Counter[str]]]:
    """Unit id -> group -> counts of the unit and everything below it; None: everyone."""
    found: dict[int | None, dict[str, Counter[str]]] = {}
    for (unit_id, leader), counts in tally.items():
        for place in [None, *org.above(tree, unit_id)]:
            groups = found.setdefault(place, {group: Counter() for group in GROUPS})
            groups["all"].update(counts)
            groups["leaders" if leader else "staff"].update(counts)
    return found


def of_unit(
    rolled: dict[int | None, dict[str, Counter[str]]], unit_id: int | None, days: int
) -> dict[str, dict[str, Any]]:
    empty = {group: Counter[str]() for group in GROUPS}
    groups = rolled.get(unit_id, empty)
    return {group: figures(groups[group], days) for group in GROUPS}


def ordered(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Highest first; a unit without the figure last; ties by unit code."""
    return sorted(rows, key=lambda row: (row[key] is None, -(row[key] or 0), row["unit"]))


def below_median(rates: dict[str, float | None]) -> tuple[float | None, set[str]]:
    """The median of the units' rates (units with a rate) and the units under it."""
    known = [rate for rate in rates.values() if rate is not None]
    if not known:
        return None, set()
    middle = median(known)
    return middle, {unit for unit, rate in rates.items() if rate is not None and rate < middle}
