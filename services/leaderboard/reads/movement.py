"""Movement against the previous period, and the most improved members.

"Previous" is the period before of the same kind (last week for a week board, the 7 days
before for a rolling 7-day window); for the all-time board it is all time before the current
week (the all-time board minus this week's), so all-time movement reads "since Monday".
"""

from __future__ import annotations

from collections.abc import Collection
from secrets import token_hex
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.ranking import competition_ranks, movement
from services.leaderboard.reads.boards import Hidden, read_page, read_standings
from services.leaderboard.reads.selection import BoardRef
from services.leaderboard.reads.shared import KEEP_SECONDS, SHARED_PREFIX, peek, shared

CHUNK = 10_000
# A replaced result's keys stay this long for readers that fetched it just before.
RETIRED_SECONDS = 30


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


# Several members' places on one board in one call. KEYS: board. ARGV: how many members, the
# members, then the hidden members. Returns {scores of the hidden members on the board,
# {per member: score (nil when absent), members strictly ahead}}.
RANKS_LUA = """
local n = tonumber(ARGV[1])
local hidden = {}
for i = n + 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score then hidden[#hidden + 1] = score end
end
local rows = {}
for i = 2, n + 1 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  rows[#rows + 1] = score or false
  rows[#rows + 1] = score and redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. score) or 0
end
return {hidden, rows}
"""


def ranks_on(
    redis: Redis, board: str, members: list[str], hidden: Collection[str]
) -> list[int | None]:
    """Members' ranks on a board as its pages rank them (1 + the shown members with strictly
    more points: ties share a rank), None where absent or hidden; one round trip."""
    if not members:
        return []
    args: list[str | int] = [len(members), *members, *sorted(hidden)]
    raw_hidden, flat = redis.register_script(RANKS_LUA)(keys=[board], args=args)
    left_out = Hidden(scores=sorted(float(s) for s in raw_hidden))
    ranks: list[int | None] = []
    for member, (score, ahead) in zip(members, zip(*[iter(flat)] * 2, strict=True), strict=True):
        shown = score is not None and member not in hidden
        ranks.append(1 + ahead - left_out.above(float(score)) if shown else None)
    return ranks


def rows_moved(
    redis: Redis, rows: list[dict[str, Any]], before: BoardRef, hidden: Collection[str]
) -> list[dict[str, Any]]:
    """A page's rows, each with its rank on the board ``before`` and the places moved up
    since (negative: down), both None for a member not on it; one round trip for the page."""
    previous = ranks_on(redis, before.key, [row["member"] for row in rows], hidden)
    return [
        {**row, "previous_rank": then, "rank_change": None if then is None else then - row["rank"]}
        for row, then in zip(rows, previous, strict=True)
    ]


def _name(kind: str, now: BoardRef, before: BoardRef) -> str:
    """A shared result's name: the query, not the boards' keys (a derived board's key changes
    with every write, which would make every result new)."""
    return f"{kind}:{now.scope}:{now.window.period_key}:{before.window.period_key}:{now.category}"


def _keep(redis: Redis, name: str, made: dict[str, str]) -> dict[str, str]:
    """Keys of a new shared result kept a little longer than the result naming them; those
    of the result it replaces let go soon."""
    pipe = redis.pipeline(transaction=False)
    for key in made.values():
        pipe.expire(key, KEEP_SECONDS + RETIRED_SECONDS)
    for key in (peek(redis, name) or {}).values():
        pipe.expire(key, RETIRED_SECONDS)
    pipe.execute()
    return made


def _made(kind: str) -> str:
    return f"{SHARED_PREFIX}made:{token_hex(8)}:{kind}"


def gains_key(redis: Redis, now: BoardRef, before: BoardRef) -> str:
    """A board of points gained (negated, like every board): now minus before, shared across
    workers. Both boards are read in slices and the gains written in slices: one
    ``ZUNIONSTORE`` of two 1M-member boards held Redis for seconds."""
    name = _name("gains", now, before)

    def made() -> dict[str, str]:
        gains = _made("gains")
        current = dict(redis.zscan_iter(now.key, count=CHUNK))
        previous = dict(redis.zscan_iter(before.key, count=CHUNK))
        scores = {m: s - previous.get(m, 0.0) for m, s in current.items()}
        scores.update({m: -s for m, s in previous.items() if m not in current})
        _write(redis, gains, scores)
        return _keep(redis, name, {"gains": gains})

    key: str = shared(redis, name, made)["gains"]
    return key


def _write(redis: Redis, key: str, scores: dict[Any, float]) -> None:
    items = list(scores.items())
    for start in range(0, len(items), CHUNK):
        redis.zadd(key, dict(items[start : start + CHUNK]))


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
    """Shown members' ranks on a board, read in slices (``ZSCAN``: no reply holds the whole
    board; a member met twice counts once) and ordered as the board orders them."""
    scores = {text(m) or "": s for m, s in redis.zscan_iter(key, count=CHUNK)}
    shown = sorted((s, m) for m, s in scores.items() if m not in hidden)
    ranks = competition_ranks([s for s, _ in shown])
    return {m: rank for (_, m), rank in zip(shown, ranks, strict=True)}


def rank_gains(
    redis: Redis, name: str, now: BoardRef, before: BoardRef, hidden: Collection[str]
) -> dict[str, str]:
    """Members on both boards by places gained, stored as a board of its own (places gained,
    negated) and a hash of their rank now, so that a page is read like any board's. One
    pass over both boards: done once across workers (``shared``)."""
    current, previous = _ranks(redis, now.key, hidden), _ranks(redis, before.key, hidden)
    both = [m for m in current if m in previous]
    made = {"gains": _made("gains"), "now": _made("now")}
    for start in range(0, len(both), CHUNK):
        pipe = redis.pipeline(transaction=False)
        chunk = both[start : start + CHUNK]
        pipe.zadd(made["gains"], {m: current[m] - previous[m] for m in chunk})
        pipe.hset(made["now"], mapping={m: current[m] for m in chunk})
        pipe.execute()
    return _keep(redis, name, made)


def improved_by_rank(
    redis: Redis,
    now: BoardRef,
    before: BoardRef,
    hidden: Collection[str],
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """Members on both boards by places gained (``rank_gains``, shared across workers)."""
    name = _name("rank-gains", now, before)
    made = shared(redis, name, lambda: rank_gains(redis, name, now, before, hidden))
    page = read_page(redis, made["gains"], limit, offset)
    ranks_now = sync(redis.hmget(made["now"], [r.member for r in page.rows])) if page.rows else []
    items = [
        {"rank": r.rank, "member": r.member, "name": r.name, "gain": r.points, "rank_now": int(n)}
        for r, n in zip(page.rows, ranks_now, strict=True)
    ]
    return {"total": page.total, "items": items}
