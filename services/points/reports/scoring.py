"""Rubric arithmetic, pure: one reviewer's total, how several reviewers' totals combine, and
the rating the bands give a total.

A total is the weighted share of the criteria's maxima, 0-100, rounded to two decimals:
``100 * sum(weight * score / max) / sum(weight)``. With one reviewer their total decides. With
two, the mean of both decides, unless they differ by more than the rubric's ``disagreement``
(in total points): then a third reviewer scores and their total alone decides. The bands are
read from the highest ``min_total`` down; the first one the total reaches gives the rating, and
a band whose rating is null rejects the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outcome:
    total: float
    rating: str | None  # None: rejected


def total(criteria: list[dict[str, Any]], scores: dict[str, int]) -> float:
    weights = float(sum(c["weight"] for c in criteria))
    share = float(sum(c["weight"] * scores[c["code"]] / c["max"] for c in criteria))
    return round(100 * share / weights, 2)


def rating(bands: list[dict[str, Any]], value: float) -> str | None:
    for band in sorted(bands, key=lambda b: b["min_total"], reverse=True):
        if value >= band["min_total"]:
            rated: str | None = band["rating"]
            return rated
    return None


def decide(rubric: dict[str, Any], totals: list[float]) -> Outcome | None:
    """The outcome of a round's totals (in the order given), or None while more are due."""
    needed = rubric["reviewers"]
    if len(totals) < needed:
        return None
    if needed == 1:
        value = totals[0]
    elif abs(totals[0] - totals[1]) <= rubric["disagreement"]:
        value = round((totals[0] + totals[1]) / 2, 2)
    elif len(totals) < 3:
        return None  # too far apart: a third reviewer decides
    else:
        value = totals[2]
    return Outcome(value, rating(rubric["bands"], value))


def reviewers_due(rubric: dict[str, Any], totals: list[float]) -> int:
    """How many reviewers this round needs in all, given the totals so far."""
    needed = int(rubric["reviewers"])
    if needed == 2 and len(totals) >= 2 and abs(totals[0] - totals[1]) > rubric["disagreement"]:
        return 3
    return needed
