"""The rubric arithmetic of practice reports, and the near-copy index's hashing: pure."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from services.points.reports import scoring, similar

CRITERIA = [
    {"code": "a", "title": "A", "max": 5, "weight": 1},
    {"code": "b", "title": "B", "max": 10, "weight": 3},
]
BANDS = [{"min_total": 80, "rating": "A"}, {"min_total": 50, "rating": "B"}]


def rubric(reviewers: int = 1, disagreement: float = 20) -> dict[str, Any]:
    return {
        "criteria": CRITERIA,
        "bands": BANDS,
        "reviewers": reviewers,
        "disagreement": disagreement,
    }


@given(st.integers(0, 5), st.integers(0, 10))
def test_a_total_is_the_weighted_share_between_0_and_100(a: int, b: int) -> None:
    value = scoring.total(CRITERIA, {"a": a, "b": b})
    assert 0 <= value <= 100
    assert abs(value - 100 * (a / 5 + 3 * b / 10) / 4) < 0.006


def test_bands_read_from_the_top_and_below_them_all_rejects() -> None:
    assert [scoring.rating(BANDS, v) for v in (100, 80, 79.99, 50, 49.99, 0)] == [
        "A", "A", "B", "B", None, None,
    ]  # fmt: skip


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100))
def test_two_reviewers_mean_decides_unless_they_disagree_and_a_third_decides(
    first: float, second: float, third: float
) -> None:
    two = rubric(2, 20)
    assert scoring.decide(two, [first]) is None
    outcome = scoring.decide(two, [first, second])
    if abs(first - second) <= 20:
        assert outcome is not None and outcome.total == round((first + second) / 2, 2)
        assert scoring.reviewers_due(two, [first, second]) == 2
    else:
        assert outcome is None and scoring.reviewers_due(two, [first, second]) == 3
        decided = scoring.decide(two, [first, second, third])
        assert decided is not None and decided.total == third
    alone = scoring.decide(rubric(1), [third])
    assert alone is not None and alone.rating == scoring.rating(BANDS, third)


@given(st.text(min_size=0, max_size=400))
def test_the_same_text_hashes_to_the_same_buckets(text: str) -> None:
    assert similar.buckets(text) == similar.buckets(text)
    assert len(similar.buckets(text)) == similar.BINS // similar.ROWS
    assert all(0 <= b < 2**63 for b in similar.buckets(text))


def test_a_light_edit_shares_buckets_and_an_unrelated_text_shares_none() -> None:
    base = (
        "after the session our counter checks every document at the first visit and writes "
        "down what is missing; second visits fell from forty a week to twelve"
    )
    edited = base.replace("forty", "about forty")
    other = "a reading group on the archive rules meets on fridays with one question each"
    shared = set(similar.buckets(base)) & set(similar.buckets(edited))
    assert len(shared) >= 8
    assert not set(similar.buckets(base)) & set(similar.buckets(other))
