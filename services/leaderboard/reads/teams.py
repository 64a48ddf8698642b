"""Team standings: units against their sibling units, fair across sizes.

A unit's *members* are the shown members whose current unit is it or lies under it (from the
``lb:units`` mirror of the points directory). Its *points* are the points earned in it in the
window (entries carry the unit they were earned in, so points of a member who moved away stay
with the unit that earned them). Per member is points / members; participation is the share
of its members with at least one entry that earned points in the window, anywhere.

Counting them is a pass over every member and every unit's board, so it is done once per
window and category for every unit together, and shared across workers (``shared``): a
request reads the counts and ranks a few units.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import UNITS, unit_scope
from services.leaderboard.periods import Window
from services.leaderboard.ranking import competition_ranks, points_of
from services.leaderboard.reads.selection import activity, board
from services.leaderboard.reads.shared import shared

METRICS = ("per_member", "participation", "total")
SCAN = 10_000
TOP = "/"  # the top of the tree in ``count_units``'s tree: no unit code has a slash

# The sum of a board's (negated) scores in Redis, so that no reply carries the board; read in
# slices so that the script never holds it all in one Lua table (it still runs as one
# command, as long as a pass over the board). Lua numbers are doubles: exact below 2**53.
SUM_LUA = """
local sum, start, step = 0, 0, 10000
while true do
  local items = redis.call('ZRANGE', KEYS[1], start, start + step - 1, 'WITHSCORES')
  for i = 2, #items, 2 do
    sum = sum + tonumber(items[i])
  end
  if #items < 2 * step then
    return sum
  end
  start = start + step
end
"""


@dataclass
class TeamRow:
    unit: str
    members: int
    participants: int
    points: int
    per_member: float | None
    participation: float | None
    rank: int = 0

    def metric(self, by: str) -> Fraction:
        """Exact values, so that ties are ties (no rounding in the comparison)."""
        if by == "total":
            return Fraction(self.points)
        if not self.members:
            return Fraction(-(10**18))  # no members: last, whatever it earned
        if by == "per_member":
            return Fraction(self.points, self.members)
        return Fraction(self.participants, self.members)

    def view(self) -> dict[str, Any]:
        return asdict(self)


def row(unit: str, members: int, participants: int, points: int) -> TeamRow:
    return TeamRow(
        unit=unit,
        members=members,
        participants=participants,
        points=points,
        per_member=round(points / members, 2) if members else None,
        participation=round(100 * participants / members, 1) if members else None,
    )


def board_points(redis: Redis, key: str, hidden: Collection[str]) -> int:
    """Points on a board, hidden members left out."""
    total = -int(redis.register_script(SUM_LUA)(keys=[key]))
    left_out = sorted(hidden)
    scores = sync(redis.zmscore(key, left_out)) if left_out else []
    return total - sum(points_of(score) for score in scores if score is not None)


def unit_points(
    redis: Redis, unit: str, current: Window, category: str, hidden: Collection[str]
) -> int:
    return board_points(redis, board(redis, unit_scope(unit), current, category).key, hidden)


def count_units(
    redis: Redis, current: Window, category: str, hidden: Collection[str]
) -> dict[str, Any]:
    """For every unit of the directory: [members, participants, points]; and the tree,
    parent (``TOP`` for the top level) to the units under it that have members."""
    left_out = {member.encode() for member in hidden}
    # Scanned in slices: no reply (and no Redis pause) holds a million members. A member
    # met twice by a scan counts once (a set, a dict).
    active = set(redis.sscan_iter(activity(redis, current), count=SCAN))
    everyone: Counter[bytes] = Counter()
    shown: Counter[bytes] = Counter()
    taking_part: Counter[bytes] = Counter()
    for staff_no, path in dict(redis.hscan_iter(UNITS, count=SCAN)).items():
        everyone[path] += 1
        if staff_no not in left_out:
            shown[path] += 1
            if staff_no in active:
                taking_part[path] += 1
    tree: dict[str, set[str]] = {}
    units: dict[str, list[int]] = {}
    for raw in everyone:
        path = (text(raw) or "").split("/")
        for depth, code in enumerate(path):
            if path.index(code) == depth and depth + 1 < len(path) and path[depth + 1]:
                tree.setdefault(code, set()).add(path[depth + 1])
            if code and path.index(code) == depth:
                counted = units.setdefault(code, [0, 0, 0])
                counted[0] += shown[raw]
                counted[1] += taking_part[raw]
        if path[0]:
            tree.setdefault(TOP, set()).add(path[0])
    for code, counted in units.items():
        counted[2] = unit_points(redis, code, current, category, hidden)
    return {"tree": {parent: sorted(codes) for parent, codes in tree.items()}, "units": units}


def counts(redis: Redis, current: Window, category: str, hidden: Collection[str]) -> dict[str, Any]:
    """``count_units``, computed once across workers (``shared``)."""
    name = f"teams:{current.period_key}:{category}"
    found: dict[str, Any] = shared(
        redis, name, lambda: count_units(redis, current, category, hidden)
    )
    return found


def unit_rows(
    redis: Redis,
    units: Iterable[str],
    current: Window,
    category: str,
    hidden: Collection[str],
) -> list[TeamRow]:
    known = counts(redis, current, category, hidden)["units"]
    rows = []
    for unit in units:
        if unit in known:
            rows.append(row(unit, *known[unit]))
        else:  # nobody is in it now; it may have earned points before (compare names it)
            name = f"points:{current.period_key}:{category}:{unit}"
            points = shared(
                redis, name, partial(unit_points, redis, unit, current, category, hidden)
            )
            rows.append(row(unit, 0, 0, points))
    return rows


def rank_rows(rows: list[TeamRow], by: str) -> list[TeamRow]:
    """Best first by ``by``; equal values share a rank, ordered by unit code."""
    ordered = sorted(rows, key=lambda row: (-row.metric(by), row.unit))
    for row, rank in zip(ordered, competition_ranks([r.metric(by) for r in ordered]), strict=True):
        row.rank = rank
    return ordered


def children(
    redis: Redis, parent: str | None, current: Window, category: str, hidden: Collection[str]
) -> list[str]:
    """Units directly under ``parent`` (None: the top of the tree) that have members."""
    if parent == TOP:  # not a unit code: nothing is under it
        return []
    tree = counts(redis, current, category, hidden)["tree"]
    found: list[str] = tree.get(TOP if parent is None else parent, [])
    return found


def standings(
    redis: Redis,
    parent: str | None,
    current: Window,
    category: str,
    hidden: Collection[str],
    by: str,
) -> list[TeamRow]:
    units = children(redis, parent, current, category, hidden)
    return rank_rows(unit_rows(redis, units, current, category, hidden), by)


def improved(
    redis: Redis,
    parent: str | None,
    current: Window,
    before: Window,
    category: str,
    hidden: Collection[str],
    by: str,
) -> list[dict[str, Any]]:
    """Units by the largest gain of ``by`` (per member or total) against the window before."""
    units = children(redis, parent, current, category, hidden)
    now = {r.unit: r for r in unit_rows(redis, units, current, category, hidden)}
    then = {r.unit: r for r in unit_rows(redis, units, before, category, hidden)}
    gains = {unit: now[unit].metric(by) - then[unit].metric(by) for unit in units}
    ordered = sorted(units, key=lambda unit: (-gains[unit], unit))
    ranks = competition_ranks([gains[unit] for unit in ordered])
    return [
        {
            "rank": rank,
            "unit": unit,
            "gain": round(float(gains[unit]), 2),
            "now": now[unit].view(),
            "before": then[unit].view(),
        }
        for rank, unit in zip(ranks, ordered, strict=True)
    ]
