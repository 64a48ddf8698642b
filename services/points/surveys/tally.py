"""The arithmetic of results, on plain values: how many picked each option, the share of
those who answered a question, and the favourable share. Percentages have one decimal,
rounded half up (12.25 -> 12.3), from exact fractions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.points.surveys.questions import TEXT, chosen

# A unit's answers are shown only from this many, so that no answer can be told apart.
MIN_ANSWERS = 5


def percent(part: int, whole: int) -> float | None:
    if whole == 0:
        return None
    exact = Decimal(part * 100) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def question(spec: dict[str, Any], answer_sets: list[dict[str, Any]]) -> dict[str, Any]:
    """One question's figures over a list of answer sets."""
    given = [a[spec["key"]] for a in answer_sets if a.get(spec["key"]) not in (None, "")]
    picks = [chosen(spec, value) for value in given]
    counts = {o["key"]: sum(o["key"] in p for p in picks) for o in spec["options"]}
    favourable = set(spec["favourable"])
    return {
        "key": spec["key"],
        "kind": spec["kind"],
        "text": spec["text"],
        "answered": len(given),
        "options": [
            o | {"count": counts[o["key"]], "percent": percent(counts[o["key"]], len(given)) or 0.0}
            for o in spec["options"]
        ],
        "favourable_percent": (
            percent(sum(bool(favourable & set(p)) for p in picks), len(given))
            if favourable
            else None
        ),
        # Sorted, so that their order says nothing of who wrote which.
        "texts": sorted(str(v) for v in given) if spec["kind"] == TEXT else [],
    }


def favourable(
    questions: list[dict[str, Any]], answer_sets: list[dict[str, Any]]
) -> dict[str, Any]:
    """Question key -> favourable share, for the questions that have favourable options."""
    return {
        q["key"]: question(q, answer_sets)["favourable_percent"]
        for q in questions
        if q["favourable"]
    }
