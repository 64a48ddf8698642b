"""Pricing: integer points, exact band boundaries, explanations a member can read."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.rules.pricing import PricingError, price
from tests.rules_examples import DEFAULT

# The default set, its quiz bands listed out of order (pricing must not rely on the order the
# document gives them in), and one flat-priced type.
DOCUMENT = copy.deepcopy(DEFAULT)
_bands = DOCUMENT["event_types"]["quiz"]["score_bands"]  # 100, 90, 60 per cent
_bands[:] = [_bands[2], _bands[0], _bands[1]]
DOCUMENT["event_types"]["lecture_given"] = {"category": "custom", "points": 5}


@pytest.mark.parametrize(
    ("status", "points"), [("on_time", 2), ("late", 0), ("absent", -3), ("excused", 0)]
)
def test_attendance_is_priced_by_status(status: str, points: int) -> None:
    award = price("attendance", {"status": status, "session": "s1"}, DOCUMENT, 7)
    assert (award.category, award.points) == ("attendance", points)
    assert f"status {status}" in award.reason and "rule set v7" in award.reason


@pytest.mark.parametrize(
    ("score", "max_score", "points"),
    [
        (100, 100, 10),
        (90, 100, 6),
        (89.99, 100, 3),
        (60, 100, 3),
        (59.9, 100, 1),
        (0, 10, 1),
        (9, 10, 6),
        (27, 30, 6),
    ],
)
def test_quiz_bands_compare_exactly_highest_first(score: float, max_score: float, points: int):
    award = price("quiz", {"quiz": "q", "score": score, "max_score": max_score}, DOCUMENT, 1)
    assert award.points == points


def test_reason_says_which_band_matched() -> None:
    award = price("quiz", {"quiz": "q", "score": 92, "max_score": 100}, DOCUMENT, 7)
    assert award.reason == "Quiz score 92/100 >= 90%: +6 points (rule set v7)"
    assert award.detail["matched"] == {"min_percent": 90, "points": 6}


def test_flat_custom_type() -> None:
    award = price("lecture_given", {}, DOCUMENT, 2)
    assert (award.category, award.points) == ("custom", 5)


def test_unknown_type_and_value_name_the_field() -> None:
    with pytest.raises(PricingError) as unknown:
        price("sleeping", {}, DOCUMENT, 1)
    assert unknown.value.field_name == "type"
    with pytest.raises(PricingError) as rating:
        price("practice_report", {"title": "t", "rating": "Z"}, DOCUMENT, 1)
    assert rating.value.field_name == "data.rating"


@given(
    score=st.integers(min_value=0, max_value=1000),
    max_score=st.integers(min_value=1, max_value=1000),
)
def test_quiz_points_are_integers_and_monotonic_in_score(score: int, max_score: int) -> None:
    score = min(score, max_score)
    low = price("quiz", {"quiz": "q", "score": score, "max_score": max_score}, DOCUMENT, 1)
    high = price("quiz", {"quiz": "q", "score": max_score, "max_score": max_score}, DOCUMENT, 1)
    assert isinstance(low.points, int)
    assert low.points <= high.points == 10
