"""One event through every stage, always in this order:

1. base points: the event type's rule (``services.rules.pricing.price``);
2. once per thing: a repeat earns 0, or only its improvement (``attempts``);
3. campaigns multiply awards, rounded once (``multipliers``);
4. caps cut awards to what is left of them (``caps``);
5. penalty floors cut penalties to the room above the floor (``floors``);
6. the streak advances and a milestone may add a bonus entry (``streaks``);
7. badges count the event and its entries, and may add an entry each (``badges``).

Every entry says in words what happened ("reason") and in structure why ("detail").
"""

from __future__ import annotations

from typing import Any

from services.rules import attempts, badges, caps, floors, multipliers, streaks
from services.rules.model import Entry, Fact, State
from services.rules.pricing import Award, PricingError, price


def validate_event(event_type: str, data: dict[str, Any], document: dict[str, Any]) -> None:
    """Refuse an event the stages cannot handle (beyond what base pricing checks)."""
    rule = document.get("event_types", {}).get(event_type)
    field_name = None if rule is None else rule.get("once_per")
    if field_name is not None and data.get(field_name) in (None, ""):
        raise PricingError(f"data.{field_name}", f"Required: {event_type} counts once per it.")


def needed_keys(fact: Fact, document: dict[str, Any]) -> list[str]:
    """Every state key ``score`` may read for ``fact``: what intake loads before scoring."""
    rule = document.get("event_types", {}).get(fact.type)
    if rule is None:
        return []
    category = rule["category"]
    found = attempts.keys(rule, fact)
    found += [cap.key for cap in caps.applicable(document, fact, category)]
    config = document.get("streak")
    found += streaks.keys(config)
    categories = {category, config.get("category", "streak") if config else category}
    categories |= {b.get("category", "badge") for b in document.get("badges", [])}
    for name in categories:
        found += [floor.key for floor in floors.applicable(document, fact.day, name)]
    found += badges.keys(document, fact)
    return found


def score(
    fact: Fact, document: dict[str, Any], version: int, state: State, base: Award | None = None
) -> list[Entry]:
    """The entries ``fact`` earns, updating ``state``; the first is always the event's own."""
    base = base or price(fact.type, dict(fact.data), document, version)
    rule = document["event_types"][fact.type]
    detail: dict[str, Any] = {
        "kind": "event",
        **base.detail,
        "rule": f"event_types.{fact.type}",
        "base_points": base.points,
    }
    notes: list[str] = []
    attempt = attempts.apply(rule, fact, base.points, state)
    points = attempt.points
    if attempt.detail is not None:
        detail["attempt"] = attempt.detail
    if attempt.note:
        notes.append(attempt.note)
    points, multiplied = multipliers.apply(points, multipliers.in_force(document, fact))
    if multiplied:
        detail["multiplier"] = multiplied
        notes.append(multipliers.note(multiplied))
    wanted = points
    points, capped = caps.apply(points, caps.applicable(document, fact, base.category), state)
    if capped:
        detail["cap"] = capped
        notes.append(caps.note(capped, wanted))
    wanted = points
    points, floored = floors.apply(
        points, floors.applicable(document, fact.day, base.category), state
    )
    if floored:
        detail["floor"] = floored
        if floored["reached"]:
            notes.append(floors.note(floored, wanted))
    entries = [_entry(fact, base, points, detail, notes, version)]
    config = document.get("streak")
    if config and attempt.counted and streaks.qualifies(config, fact):
        standing = streaks.advance(config, fact, state)
        detail["streak"] = standing
        bonus = streaks.milestone(config, standing)
        if bonus:
            entries.append(_streak_entry(document, config, fact, bonus, standing, version, state))
    entries += badges.award(document, fact, attempt.counted, entries, state, version)
    for entry in entries[1:]:
        if entry.kind == "badge":
            floors.apply(entry.points, floors.applicable(document, fact.day, entry.category), state)
    return entries


def _entry(
    fact: Fact,
    base: Award,
    points: int,
    detail: dict[str, Any],
    notes: list[str],
    version: int,
) -> Entry:
    detail["points"] = points
    what = base.what or fact.type
    said = "; ".join([f"{points:+d} points", *notes])
    return Entry("event", base.category, points, f"{what}: {said} (rule set v{version})", detail)


def _streak_entry(
    document: dict[str, Any],
    config: dict[str, Any],
    fact: Fact,
    stone: dict[str, Any],
    standing: dict[str, Any],
    version: int,
    state: State,
) -> Entry:
    category = config.get("category", "streak")
    points = int(stone["points"])
    points, _ = floors.apply(points, floors.applicable(document, fact.day, category), state)
    unit = "day" if config["per"] == "day" else "week"
    reason = f"{stone['length']}-{unit} learning streak: {points:+d} points (rule set v{version})"
    detail = {
        "kind": "streak",
        "rule": "streak.milestones",
        "milestone": stone["length"],
        "streak": standing,
        "rule_set_version": version,
        "points": points,
    }
    return Entry("streak", category, points, reason, detail)
