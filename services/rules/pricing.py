"""Pricing: what an event earns under a rule set. Pure: plain values in, plain values out.

The rewards service owns rule sets (storing, versioning, publishing); the points service prices
each event locally with the published set it caches, so intake never waits on another hop.
A rule set document says, per event type, how the event's data turns into points:

    {"event_types": {
        "attendance": {"category": "attendance", "by": "status",
                       "points": {"on_time": 2, "late": 0, "absent": -3, "excused": 0}},
        "quiz": {"category": "quiz", "otherwise": 1,
                 "score_bands": [{"min_percent": 100, "points": 10},
                                 {"min_percent": 90, "points": 6},
                                 {"min_percent": 60, "points": 3}]},
        "practice_report": {"category": "practice", "by": "rating",
                            "points": {"A": 8, "B": 5, "C": 2}},
        "lecture_given": {"category": "custom", "points": 5}}}

Points are integers, always. Quiz percentages are compared exactly, in decimal arithmetic
(score * 100 >= min_percent * max_score), so 89.99% never rounds up into the 90% band.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Award:
    category: str
    points: int
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    # What matched, in words, without the points: the rule engine adds its own notes to it.
    what: str = ""


# Data fields that name what an event is about, copied into its entry's detail.
ABOUT = ("title", "session", "quiz")


class PricingError(ValueError):
    """The event cannot be priced under this rule set (its type or value is not covered)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


def known_types(document: dict[str, Any]) -> set[str]:
    return set(document.get("event_types", {}))


def price(event_type: str, data: dict[str, Any], document: dict[str, Any], version: int) -> Award:
    rule = document.get("event_types", {}).get(event_type)
    if rule is None:
        raise PricingError("type", f"Unknown event type {event_type!r} in rule set v{version}.")
    category = rule["category"]
    base = {"rule_set_version": version, "event_type": event_type, **_about(data)}
    if "score_bands" in rule:
        return _price_bands(event_type, data, rule, category, base, version)
    if "by" in rule:
        key = rule["by"]
        value = str(data.get(key))
        if value not in rule["points"]:
            allowed = ", ".join(sorted(rule["points"]))
            raise PricingError(f"data.{key}", f"Must be one of: {allowed}.")
        points = int(rule["points"][value])
        what = f"{_label(event_type)}{_titled(data)} {key} {value}"
        reason = f"{what}: {points:+d} points (rule set v{version})"
        return Award(category, points, reason, {**base, "matched": {key: value}}, what)
    points = int(rule["points"])
    what = _label(event_type)
    reason = f"{what}: {points:+d} points (rule set v{version})"
    return Award(category, points, reason, {**base, "matched": "flat"}, what)


def _price_bands(
    event_type: str,
    data: dict[str, Any],
    rule: dict[str, Any],
    category: str,
    base: dict[str, Any],
    version: int,
) -> Award:
    if "score" not in data or "max_score" not in data:
        missing = "score" if "score" not in data else "max_score"
        raise PricingError(f"data.{missing}", f"Required: {event_type} is priced by score bands.")
    score, max_score = data["score"], data["max_score"]
    # Decimal of the number as written: 89.99 stays 89.99, so the comparison is exact.
    exact_score, exact_max = Decimal(str(score)), Decimal(str(max_score))
    # Bands are checked highest first, whatever order the document lists them in.
    for band in sorted(rule["score_bands"], key=lambda b: b["min_percent"], reverse=True):
        if exact_score * 100 >= band["min_percent"] * exact_max:
            points = int(band["points"])
            what = (
                f"{_label(event_type)} score {_num(score)}/{_num(max_score)} >= "
                f"{band['min_percent']}%"
            )
            reason = f"{what}: {points:+d} points (rule set v{version})"
            matched = {**base, "matched": band, "score": score, "max_score": max_score}
            return Award(category, points, reason, matched, what)
    points = int(rule.get("otherwise", 0))
    what = f"{_label(event_type)} score {_num(score)}/{_num(max_score)} below every band"
    reason = f"{what}: {points:+d} points (rule set v{version})"
    below = {**base, "matched": "otherwise", "score": score, "max_score": max_score}
    return Award(category, points, reason, below, what)


def _about(data: dict[str, Any]) -> dict[str, Any]:
    """What the event is about (a report's title, a session's or a quiz's id), so that the
    entry's detail can explain it in any language (services/points/ledger/explain.py)."""
    return {"about": {k: data[k] for k in ABOUT if isinstance(data.get(k), str)}}


def _titled(data: dict[str, Any]) -> str:
    """' "Title"' when the event names a title (a practice report's), so the reason names it."""
    title = data.get("title")
    return f' "{title}"' if isinstance(title, str) and title else ""


def _label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
