"""The arithmetic of pulse survey results and the calendar of repeating rounds, on plain
values: shares rounded half up, the favourable share, and the next round's window."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from services.points.surveys import rounds, tally
from services.points.surveys.questions import check_answers

SCALE = {
    "key": "linked",
    "kind": "agree",
    "text": "Linked",
    "options": [{"key": str(n), "text": str(n)} for n in range(1, 6)],
    "favourable": ["4", "5"],
}
SEVERAL = {
    "key": "factors",
    "kind": "multiple",
    "text": "Factors",
    "options": [{"key": k, "text": k} for k in ("time", "plan")],
    "favourable": [],
}


def test_percentages_round_half_up_from_exact_fractions() -> None:
    assert tally.percent(1, 8) == 12.5
    assert tally.percent(1, 6) == 16.7  # 16.666...
    assert tally.percent(49, 400) == 12.3  # 12.25 exactly: half up, not to even (12.2)
    assert tally.percent(2, 3) == 66.7
    assert tally.percent(0, 0) is None


def test_a_scale_questions_shares_and_favourable_share() -> None:
    answers = [{"linked": v} for v in (5, 4, "4", 3, 1, 2, 5, 4)]
    result = tally.question(SCALE, answers + [{}])  # one left it out
    assert result["answered"] == 8
    assert [o["count"] for o in result["options"]] == [1, 1, 1, 3, 2]
    assert [o["percent"] for o in result["options"]] == [12.5, 12.5, 12.5, 37.5, 25.0]
    assert result["favourable_percent"] == 62.5  # 5 of 8


def test_several_choices_count_people_not_picks() -> None:
    answers = [{"factors": ["time", "plan"]}, {"factors": ["time"]}, {"factors": ["plan"]}]
    result = tally.question(SEVERAL, answers)
    assert [o["percent"] for o in result["options"]] == [66.7, 66.7]
    assert result["favourable_percent"] is None


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200))
def test_single_answer_shares_add_up_to_a_hundred_within_rounding(values: list[int]) -> None:
    result = tally.question(SCALE, [{"linked": v} for v in values])
    assert sum(o["count"] for o in result["options"]) == len(values)
    assert abs(sum(o["percent"] for o in result["options"]) - 100) <= 0.05 * 5 + 1e-9
    assert result["favourable_percent"] == tally.percent(sum(v >= 4 for v in values), len(values))


def test_answers_are_checked_against_their_questions() -> None:
    questions = [SCALE, SEVERAL, {"key": "ideas", "kind": "text", "text": "", "options": []}]
    assert check_answers(questions, {"linked": 3, "factors": ["plan"]}) == {}
    errors = check_answers(questions, {"linked": True, "factors": ["plan", "plan"], "x": 1})
    assert sorted(errors) == ["factors", "linked", "x"]
    assert check_answers(questions, {"factors": ["time"], "ideas": 5}).keys() == {"linked", "ideas"}


def test_the_next_round_moves_by_local_calendar_months() -> None:
    # 2030-01-31 09:00 in Shanghai is 01:00 UTC; a quarter on: 30 April (no 31st), 09:00 local.
    start = datetime(2030, 1, 31, 1, 0, tzinfo=UTC)
    assert rounds.later(start, "quarter", "Asia/Shanghai") == datetime(
        2030, 4, 30, 1, 0, tzinfo=UTC
    )
    assert rounds.later(start, "year", "Asia/Shanghai") == datetime(2031, 1, 31, 1, 0, tzinfo=UTC)
    november = datetime(2030, 11, 15, 1, 0, tzinfo=UTC)
    assert rounds.later(november, "half-year", "Asia/Shanghai") == datetime(
        2031, 5, 15, 1, 0, tzinfo=UTC
    )


def test_a_round_is_upcoming_open_then_closed() -> None:
    opens, closes = datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 8, tzinfo=UTC)
    assert rounds.state(opens, closes, None, datetime(2029, 12, 31, tzinfo=UTC)) == "upcoming"
    assert rounds.state(opens, closes, None, datetime(2030, 1, 2, tzinfo=UTC)) == "open"
    assert rounds.state(opens, closes, None, closes) == "closed"
    assert rounds.state(opens, closes, opens, datetime(2030, 1, 2, tzinfo=UTC)) == "closed"
