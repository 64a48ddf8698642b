"""Reads of boards on a real Redis: pages, ties, paging, standings."""

from __future__ import annotations

from redis import Redis

from services.leaderboard.keys import NAMES
from services.leaderboard.reads.boards import Row, read_page, read_standing

BOARD = "lb:{org:all:total}"


def seed(redis: Redis, points: dict[str, int]) -> None:
    redis.zadd(BOARD, {member: -p for member, p in points.items()})
    redis.hset(NAMES, mapping={member: f"Name {member}" for member in points})


def test_a_page_is_highest_first_and_ties_share_a_rank_in_staff_number_order(
    redis: Redis,
) -> None:
    seed(redis, {"S0005": 8, "S0002": 10, "S0009": 8, "S0001": 8, "S0003": 3})
    page = read_page(redis, BOARD, limit=10)
    assert page.total == 5
    assert [(r.rank, r.member, r.points) for r in page.rows] == [
        (1, "S0002", 10),
        (2, "S0001", 8),
        (2, "S0005", 8),
        (2, "S0009", 8),
        (5, "S0003", 3),
    ]
    assert page.rows[0] == Row(1, "S0002", "Name S0002", 10)


def test_offset_paging_inside_a_tie(redis: Redis) -> None:
    seed(redis, {"S0001": 9, "S0002": 7, "S0003": 7, "S0004": 7, "S0005": 1})
    first = read_page(redis, BOARD, limit=2, offset=0)
    second = read_page(redis, BOARD, limit=2, offset=2)
    third = read_page(redis, BOARD, limit=2, offset=4)
    assert [(r.rank, r.member) for r in first.rows] == [(1, "S0001"), (2, "S0002")]
    assert [(r.rank, r.member) for r in second.rows] == [(2, "S0003"), (2, "S0004")]
    assert [(r.rank, r.member) for r in third.rows] == [(5, "S0005")]
    assert read_page(redis, BOARD, limit=2, offset=6).rows == []


def test_negative_and_zero_points_rank_below_positive(redis: Redis) -> None:
    seed(redis, {"S0001": -3, "S0002": 0, "S0003": 2})
    page = read_page(redis, BOARD, limit=10)
    assert [(r.rank, r.member, r.points) for r in page.rows] == [
        (1, "S0003", 2),
        (2, "S0002", 0),
        (3, "S0001", -3),
    ]


def test_an_empty_board(redis: Redis) -> None:
    page = read_page(redis, BOARD, limit=10)
    assert page.total == 0 and page.rows == []


def test_a_member_without_a_known_name(redis: Redis) -> None:
    redis.zadd(BOARD, {"S0001": -4})
    assert read_page(redis, BOARD, limit=1).rows == [Row(1, "S0001", None, 4)]


def test_standing_of_a_tied_member(redis: Redis) -> None:
    seed(redis, {"S0001": 10, "S0002": 8, "S0003": 8, "S0004": 3, "S0005": 1})
    standing = read_standing(redis, BOARD, "S0003")
    assert (standing.points, standing.rank, standing.total) == (8, 2, 5)
    assert standing.name == "Name S0003"
    assert standing.percentile == 50.0  # ahead of S0004 and S0005: 2 of the 4 others


def test_standing_of_the_leader_and_the_last(redis: Redis) -> None:
    seed(redis, {"S0001": 10, "S0002": 8, "S0003": 1})
    assert read_standing(redis, BOARD, "S0001").percentile == 100.0
    last = read_standing(redis, BOARD, "S0003")
    assert (last.rank, last.percentile) == (3, 0.0)


def test_standing_of_a_member_not_on_the_board(redis: Redis) -> None:
    seed(redis, {"S0001": 10})
    redis.hset(NAMES, "S0042", "New Starter")
    standing = read_standing(redis, BOARD, "S0042")
    assert (standing.points, standing.rank, standing.percentile) == (0, None, None)
    assert standing.total == 1
    assert standing.name == "New Starter"
