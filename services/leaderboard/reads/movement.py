"""Movement against the previous period, and the most improved members.

"Previous" is the period before of the same kind (last week for a week board, the 7 days
before for a rolling 7-day window); for the all-time board it is all time before the current
week (the all-time board minus this week's), so all-time movement reads "since Monday".
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import NAMES
from services.leaderboard.ranking import competition_ranks, movement
from services.leaderboard.reads.boards import read_page, read_standings
from services.leaderboard.reads.selection import CACHE_SECONDS, BoardRef, cache_key


def member_movement(
    redis: Redis, now: BoardRef, before: BoardRef, member: str, hidden: Collection[str]
) -> dict[str, Any]:
    current, previous = read_standings(redis, [now.key, before.key], member, hidden)
    change = None
    if current.rank is not None and previous.rank is not None:
        change = previous.rank - current.rank
    return {
        "rank": current.rank,
        "points": current.points,
        "previous_rank": previous.rank,
        "previous_points": previous.points,
        "previous_period_key": before.window.period_key,
        "rank_change": change,  # positive: moved up
        "movement": movement(current.rank, previous.rank),
    }


def gains_key(redis: Redis, now: BoardRef, before: BoardRef) -> str:
    """A derived board of points gained (negated, like every board): now minus before."""
    dest = cache_key(redis, "gain", now.key, before.key)
    if not redis.expire(dest, CACHE_SECONDS):
        pipe = redis.pipeline()
        pipe.zunionstore(dest, {now.key: 1, before.key: -1})
        pipe.expire(dest, CACHE_SECONDS)
        pipe.execute()
    return dest


def improved_by_points(
    redis: Redis,
    now: BoardRef,
    before: BoardRef,
    hidden: Collection[str],
    limit: int,
    offset: int,
) -> dict[str, Any]:
    page = read_page(redis, gains_key(redis, now, before), limit, offset, hidden)
    items = [
        {"rank": r.rank, "member": r.member, "name": r.name, "gain": r.points} for r in page.rows
    ]
    return {"total": page.total, "items": items}


def _ranks(redis: Redis, key: str, hidden: Collection[str]) -> dict[str, int]:
    rows = [(text(m) or "", s) for m, s in sync(redis.zrange(key, 0, -1, withscores=True))]
    shown = [(m, s) for m, s in rows if m not in hidden]
    ranks = competition_ranks([s for _, s in shown])
    return {m: rank for (m, _), rank in zip(shown, ranks, strict=True)}


def improved_by_rank(
    redis: Redis,
    now: BoardRef,
    before: BoardRef,
    hidden: Collection[str],
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """Members on both boards by places gained. One pass over both boards: for boards of
    thousands; the points ranking above is the cheap one for very large boards."""
    current, previous = _ranks(redis, now.key, hidden), _ranks(redis, before.key, hidden)
    both = [m for m in current if m in previous]
    ordered = sorted(both, key=lambda m: (current[m] - previous[m], m))
    gains = [previous[m] - current[m] for m in ordered]
    ranks = competition_ranks(gains)
    page = list(zip(ranks, ordered, gains, strict=True))[offset : offset + limit]
    names = sync(redis.hmget(NAMES, [m for _, m, _ in page])) if page else []
    items = [
        {"rank": rank, "member": m, "name": text(name), "gain": gain, "rank_now": current[m]}
        for (rank, m, gain), name in zip(page, names, strict=True)
    ]
    return {"total": len(both), "items": items}
