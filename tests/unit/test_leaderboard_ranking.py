"""Ranking maths: competition ranks with ties, pages, and the percentile."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.leaderboard.ranking import page_ranks, percentile, points_of, score_of


def reference_ranks(points: list[int]) -> list[int]:
    """The definition itself: 1 + the number of members with strictly more points."""
    return [1 + sum(1 for other in points if other > mine) for mine in points]


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    scores = [score_of(p) for p in (10, 8, 8, 5, 5, 5, 1)]
    assert page_ranks(scores, offset=0, first_rank=1) == [1, 2, 2, 4, 4, 4, 7]


def test_a_page_starting_inside_a_tie_takes_the_tie_s_rank() -> None:
    # Board 10, 8, 8, 8, 5: the page at offset 2 starts inside the tie ranked 2.
    scores = [score_of(p) for p in (8, 8, 5)]
    assert page_ranks(scores, offset=2, first_rank=2) == [2, 2, 5]


def test_empty_page() -> None:
    assert page_ranks([], offset=0, first_rank=1) == []


@given(
    st.lists(st.integers(min_value=-50, max_value=50), min_size=1, max_size=60),
    st.data(),
)
def test_any_page_agrees_with_ranking_the_whole_board(
    points: list[int], data: st.DataObject
) -> None:
    board = sorted(points, reverse=True)
    expected = reference_ranks(board)
    offset = data.draw(st.integers(min_value=0, max_value=len(board) - 1))
    limit = data.draw(st.integers(min_value=1, max_value=len(board)))
    page = board[offset : offset + limit]
    first_rank = 1 + sum(1 for p in board if p > page[0])
    ranks = page_ranks([score_of(p) for p in page], offset, first_rank)
    assert ranks == expected[offset : offset + limit]


def test_points_from_negated_scores() -> None:
    assert points_of(-12.0) == 12
    assert points_of(3.0) == -3
    assert str(points_of(-0.0)) == "0"


def test_percentile_is_the_share_of_others_with_fewer_points() -> None:
    assert percentile(fewer=4, total=5) == 100.0  # the leader
    assert percentile(fewer=0, total=5) == 0.0  # the last
    assert percentile(fewer=2, total=5) == 50.0
    assert percentile(fewer=1, total=4) == 33.3
    assert percentile(fewer=0, total=1) == 100.0  # alone on the board
