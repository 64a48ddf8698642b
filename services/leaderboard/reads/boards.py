"""Reads of the boards in Redis, leaving hidden members out.

Boards hold every ledger entry (so they always equal the ledger's sums); members who must not
show (inactive ones, members of excluded groups) are left out *when reading*: ranks, totals,
percentiles and pages count only the members shown. With nobody hidden on a board, a page or
a standing is one round trip (a script, so also one consistent snapshot); hidden members on
it cost one pipelined round trip more.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import NAMES
from services.leaderboard.ranking import page_ranks, percentile, points_of


@dataclass(frozen=True)
class Row:
    rank: int
    member: str
    name: str | None
    points: int

    def as_dict(self) -> dict[str, Any]:
        # A shallow copy: dataclasses.asdict deep-copies and cost 15 us a row on hot reads.
        return dict(self.__dict__)


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

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Hidden:
    """The hidden members present on one board: their scores and raw positions, sorted."""

    scores: list[float] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    members: set[str] = field(default_factory=set)

    def above(self, score: float) -> int:
        """Hidden members with strictly more points than ``score``."""
        return bisect_left(self.scores, score)

    def at_or_above(self, score: float) -> int:
        return bisect_right(self.scores, score)

    def before(self, position: int) -> int:
        """Hidden members at raw positions before ``position``."""
        return bisect_left(self.positions, position)


def _above(score: float) -> str:
    """ZCOUNT bound for "strictly more points": scores strictly below this one."""
    return f"({int(score)}"


def hidden_on(redis: Redis, board: str, hidden: Collection[str]) -> Hidden:
    if not hidden:
        return Hidden()
    members = sorted(hidden)
    pipe = redis.pipeline(transaction=False)
    for member in members:
        pipe.zrank(board, member)
    pipe.zmscore(board, members)
    *positions, scores = pipe.execute()
    present = [
        (s, p, m) for m, p, s in zip(members, positions, scores, strict=True) if p is not None
    ]
    return Hidden(
        scores=sorted(s for s, _, _ in present),
        positions=sorted(p for _, p, _ in present),
        members={m for _, _, m in present},
    )


def raw_start(offset: int, hidden: Hidden) -> int:
    """The raw position of the ``offset``-th shown member."""
    start = offset
    for position in hidden.positions:
        if position <= start:
            start += 1
        else:
            break
    return start


# One call per read: the range, the board's size, who is ahead of the first member and the
# names, read atomically. KEYS: board, names hash. ARGV: first and last raw position.
# Returns {card, members strictly ahead of the first item, {member, score, name, ...}}.
PAGE_LUA = """
local items = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')
local card = redis.call('ZCARD', KEYS[1])
if #items == 0 then
  return {card, 0, {}}
end
local rows = {}
for i = 1, #items, 2 do
  rows[#rows + 1] = items[i]
  rows[#rows + 1] = items[i + 1]
  rows[#rows + 1] = redis.call('HGET', KEYS[2], items[i])
end
return {card, redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. items[2]), rows}
"""


def read_page(
    redis: Redis, board: str, limit: int, offset: int = 0, hidden: Collection[str] = ()
) -> Page:
    """One page of shown members, highest points first; ties by staff number ascending."""
    left_out = hidden_on(redis, board, hidden)
    start = raw_start(offset, left_out)
    stop = start + limit - 1 + len(left_out.positions)
    card, ahead, flat = redis.register_script(PAGE_LUA)(keys=[board, NAMES], args=[start, stop])
    total = card - len(left_out.positions)
    raw = [(text(m) or "", float(s), n) for m, s, n in zip(*[iter(flat)] * 3, strict=True)]
    shown = [item for item in raw if item[0] not in left_out.members][:limit]
    if not shown:
        return Page(total=total, rows=[])
    scores = [score for _, score, _ in shown]
    if shown[0] is not raw[0]:  # a hidden member heads the range: count for the shown one
        ahead = sync(redis.zcount(board, "-inf", _above(scores[0])))
    first_rank = 1 + ahead - left_out.above(scores[0])
    ranks = page_ranks(scores, offset, first_rank)
    rows = [
        Row(rank, member, text(name), points_of(score))
        for rank, (member, score, name) in zip(ranks, shown, strict=True)
    ]
    return Page(total=total, rows=rows)


# A member on several boards in one call. KEYS: names hash, then the boards. ARGV: member.
# Returns {name, then per board: score (nil when absent), card, ahead, at or ahead}.
STANDINGS_LUA = """
local out = {redis.call('HGET', KEYS[1], ARGV[1])}
for i = 2, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  local ahead, at_or_ahead = 0, 0
  if score then
    ahead = redis.call('ZCOUNT', KEYS[i], '-inf', '(' .. score)
    at_or_ahead = redis.call('ZCOUNT', KEYS[i], '-inf', score)
  end
  out[#out + 1] = score
  out[#out + 1] = redis.call('ZCARD', KEYS[i])
  out[#out + 1] = ahead
  out[#out + 1] = at_or_ahead
end
return out
"""


def read_standings(
    redis: Redis, boards: list[str], member: str, hidden: Collection[str] = ()
) -> list[Standing]:
    """A member's points, rank and percentile on several boards in one round trip (plus the
    hidden members' lookups); 0 points and no rank where absent or hidden."""
    left_out = [hidden_on(redis, board, hidden) for board in boards]
    raw_name, *answers = redis.register_script(STANDINGS_LUA)(keys=[NAMES, *boards], args=[member])
    name = text(raw_name)
    standings = []
    for hide, (raw_score, card, raw_ahead, raw_at_or_ahead) in zip(
        left_out, zip(*[iter(answers)] * 4, strict=True), strict=True
    ):
        total = card - len(hide.positions)
        if raw_score is None or member in hidden:
            standings.append(Standing(member, name, 0, None, total, None))
            continue
        score = float(raw_score)
        ahead = raw_ahead - hide.above(score)
        at_or_ahead = raw_at_or_ahead - hide.at_or_above(score)
        standings.append(
            Standing(
                member,
                name,
                points_of(score),
                1 + ahead,
                total,
                percentile(total - at_or_ahead, total),
            )
        )
    return standings


def read_standing(redis: Redis, board: str, member: str, hidden: Collection[str] = ()) -> Standing:
    """A member's points, rank and percentile on a board; 0 points and no rank when absent."""
    return read_standings(redis, [board], member, hidden)[0]


def read_around(
    redis: Redis, board: str, member: str, span: int, hidden: Collection[str] = ()
) -> Page:
    """The ``span`` shown members above and below ``member``, and the member; fewer at the
    top and bottom of the board; nothing when the member is not shown on it."""
    if member in hidden:
        return Page(total=0, rows=[])
    position = sync(redis.zrank(board, member))
    if position is None:
        return Page(total=int(sync(redis.zcard(board))), rows=[])
    left_out = hidden_on(redis, board, hidden)
    shown_position = position - left_out.before(position)
    start = max(0, shown_position - span)
    return read_page(redis, board, shown_position - start + span + 1, start, hidden)


def next_better(
    redis: Redis, board: str, member: str, hidden: Collection[str] = ()
) -> dict[str, Any] | None:
    """The closest shown member with strictly more points, or None for a leader."""
    score = sync(redis.zscore(board, member))
    if score is None:
        return None
    candidates = sync(
        redis.zrevrangebyscore(
            board, _above(score), "-inf", start=0, num=1 + len(hidden), withscores=True
        )
    )
    for raw, their_score in candidates:
        if text(raw) not in hidden:
            standing = read_standing(redis, board, text(raw) or "", hidden)
            return {"standing": standing, "gap": points_of(their_score) - points_of(score)}
    return None
