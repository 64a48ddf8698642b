"""Badges: named achievements, each awarded at most once per member per window.

A badge's ``all_of`` criteria are counted within its window (a local day, ISO week, month,
quarter, year, or ``all`` for a lifetime) and checked after every event; when all hold, the
badge is awarded as a ledger entry (with its points, 0 when it has none) and never again in
that window. Criteria:

- ``{"count": "<event type>", "where"?: {field: [values]}, "min_percent"?: N,
  "at_least"?: N, "at_most"?: N}``: events of that type that count as activity (a repeat of a
  once-per thing does not), optionally only those with those data values or at least that quiz
  percentage;
- ``{"sum": "<category>", "at_least": N}``: the points of the window's entries in a category;
- ``{"streak": N}``: the current streak is at least N long.

The engine never revokes a badge. A re-score may, when the new rules no longer give it, with a
compensating entry that keeps the award in the ledger (``services.points.rules.resync``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services.rules import streaks
from services.rules.model import Entry, Fact, State, window_key


def keys(document: dict[str, Any], fact: Fact) -> list[str]:
    found = []
    for badge in document.get("badges", []):
        prefix = f"badge:{badge['code']}:{window_key(badge['window'], fact.day)}"
        found.append(prefix)
        found += [f"{prefix}:{i}" for i, _ in enumerate(badge["all_of"])]
    return found


def award(
    document: dict[str, Any],
    fact: Fact,
    counted: bool,
    entries: list[Entry],
    state: State,
    version: int,
) -> list[Entry]:
    """Count the fact and its entries towards each badge; award those whose criteria now hold."""
    awarded = []
    for badge in document.get("badges", []):
        window = window_key(badge["window"], fact.day)
        prefix = f"badge:{badge['code']}:{window}"
        if state.get(prefix):
            continue
        met = []
        for index, criterion in enumerate(badge["all_of"]):
            key = f"{prefix}:{index}"
            value = state.add(key, _contribution(criterion, fact, counted, entries))
            met.append(_holds(criterion, value, document, state))
        if all(met):
            state.set(prefix, 1)
            awarded.append(_entry(badge, window, version))
    return awarded


def _contribution(
    criterion: dict[str, Any], fact: Fact, counted: bool, entries: list[Entry]
) -> int:
    if "sum" in criterion:
        return sum(e.points for e in entries if e.category == criterion["sum"])
    if "count" in criterion and counted and fact.type == criterion["count"]:
        where: dict[str, list[str]] = criterion.get("where", {})
        if not all(str(fact.data.get(name)) in values for name, values in where.items()):
            return 0
        if "min_percent" in criterion:
            score, top = Decimal(str(fact.data["score"])), Decimal(str(fact.data["max_score"]))
            if score * 100 < criterion["min_percent"] * top:
                return 0
        return 1
    return 0


def _holds(criterion: dict[str, Any], value: int, document: dict[str, Any], state: State) -> bool:
    if "streak" in criterion:
        return streaks.current(document.get("streak"), state) >= int(criterion["streak"])
    if value < int(criterion.get("at_least", 0)):
        return False
    return "at_most" not in criterion or value <= int(criterion["at_most"])


def _entry(badge: dict[str, Any], window: str, version: int) -> Entry:
    points = int(badge.get("points", 0))
    title = badge["title"]
    reason = (
        f"Badge earned: {title['en']} ({title['zh']}): {points:+d} points (rule set v{version})"
    )
    detail = {
        "kind": "badge",
        "rule": f"badges.{badge['code']}",
        "badge": badge["code"],
        "title": title,
        "icon": badge.get("icon"),
        "window": window,
        "criteria": badge["all_of"],
        "rule_set_version": version,
    }
    category = badge.get("category", "badge")
    return Entry("badge", category, points, reason, detail, (badge["code"], window))
