"""Reads of the boards in Redis.

Each read is at most two round trips, each a MULTI so that its answers agree with each other
even while a drain is writing: the second needs a score that the first returns (the rank of a
page's first item, a member's rank).
"""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis

from services.leaderboard.keys import NAMES
from services.leaderboard.ranking import page_ranks, percentile, points_of


@dataclass(frozen=True)
class Row:
    rank: int
    member: str
    name: str | None
    points: int


@dataclass(frozen=True)
class Page:
    total: int
    rows: list[Row]


@dataclass(frozen=True)
class Standing:
    member: str
    name: str | None
    points: int
    rank: int | None
    total: int
    percentile: float | None


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _above(score: float) -> str:
    """ZCOUNT bound for "strictly more points": scores strictly below this one."""
    return f"({int(score)}"


def read_page(redis: Redis, board: str, limit: int, offset: int = 0) -> Page:
    """One page of a board, highest points first; ties ordered by staff number ascending."""
    pipe = redis.pipeline()
    pipe.zrange(board, offset, offset + limit - 1, withscores=True)
    pipe.zcard(board)
    items, total = pipe.execute()
    if not items:
        return Page(total=total, rows=[])
    members = [_text(member) or "" for member, _ in items]
    scores = [score for _, score in items]
    pipe = redis.pipeline()
    pipe.zcount(board, "-inf", _above(scores[0]))
    pipe.hmget(NAMES, members)
    ahead, names = pipe.execute()
    ranks = page_ranks(scores, offset, 1 + ahead)
    rows = [
        Row(rank, member, _text(name), points_of(score))
        for rank, member, name, score in zip(ranks, members, names, scores, strict=True)
    ]
    return Page(total=total, rows=rows)


def read_standing(redis: Redis, board: str, member: str) -> Standing:
    """A member's points, rank and percentile on a board; 0 points and no rank when absent."""
    pipe = redis.pipeline()
    pipe.zscore(board, member)
    pipe.zcard(board)
    pipe.hget(NAMES, member)
    score, total, name = pipe.execute()
    if score is None:
        return Standing(member, _text(name), 0, None, total, None)
    pipe = redis.pipeline()
    pipe.zcount(board, "-inf", _above(score))
    pipe.zcount(board, "-inf", int(score))
    pipe.zcard(board)
    ahead, at_or_ahead, total = pipe.execute()
    return Standing(
        member=member,
        name=_text(name),
        points=points_of(score),
        rank=1 + ahead,
        total=total,
        percentile=percentile(total - at_or_ahead, total),
    )
