"""Team standings: units against their sibling units, fair across sizes.

A unit's *members* are the shown members whose current unit is it or lies under it (from the
``lb:units`` mirror of the points directory). Its *points* are the points earned in it in the
window (entries carry the unit they were earned in, so points of a member who moved away stay
with the unit that earned them). Per member is points / members; participation is the share
of its members with at least one entry that earned points in the window, anywhere. Reading a
unit's standing costs one pass over its board: fine for units of thousands.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import UNITS, unit_scope
from services.leaderboard.periods import Window
from services.leaderboard.ranking import competition_ranks, points_of
from services.leaderboard.reads.selection import activity, board

METRICS = ("per_member", "participation", "total")


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


def member_paths(redis: Redis) -> dict[str, list[str]]:
    return {
        text(staff_no) or "": (text(path) or "").split("/")
        for staff_no, path in sync(redis.hgetall(UNITS)).items()
    }


def children(paths: dict[str, list[str]], parent: str | None) -> list[str]:
    """Units directly under ``parent`` (None: the top of the tree) that have members."""
    found: set[str] = set()
    for path in paths.values():
        if parent is None:
            found.update(path[:1])
        elif parent in path and path.index(parent) + 1 < len(path):
            found.add(path[path.index(parent) + 1])
    return sorted(code for code in found if code)


def unit_rows(
    redis: Redis,
    units: Iterable[str],
    current: Window,
    category: str,
    hidden: Collection[str],
    paths: dict[str, list[str]],
) -> list[TeamRow]:
    active_key = activity(redis, current)
    rows = []
    for unit in units:
        members = sorted(s for s, path in paths.items() if unit in path and s not in hidden)
        key = board(redis, unit_scope(unit), current, category).key
        earned = sync(redis.zrange(key, 0, -1, withscores=True))
        points = sum(points_of(s) for m, s in earned if text(m) not in hidden)
        flags = sync(redis.smismember(active_key, members)) if members else []
        participants = sum(1 for flag in flags if flag)
        rows.append(
            TeamRow(
                unit=unit,
                members=len(members),
                participants=participants,
                points=points,
                per_member=round(points / len(members), 2) if members else None,
                participation=round(100 * participants / len(members), 1) if members else None,
            )
        )
    return rows


def rank_rows(rows: list[TeamRow], by: str) -> list[TeamRow]:
    """Best first by ``by``; equal values share a rank, ordered by unit code."""
    ordered = sorted(rows, key=lambda row: (-row.metric(by), row.unit))
    for row, rank in zip(ordered, competition_ranks([r.metric(by) for r in ordered]), strict=True):
        row.rank = rank
    return ordered


def standings(
    redis: Redis,
    parent: str | None,
    current: Window,
    category: str,
    hidden: Collection[str],
    by: str,
) -> list[TeamRow]:
    paths = member_paths(redis)
    rows = unit_rows(redis, children(paths, parent), current, category, hidden, paths)
    return rank_rows(rows, by)


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
    paths = member_paths(redis)
    units = children(paths, parent)
    now = {r.unit: r for r in unit_rows(redis, units, current, category, hidden, paths)}
    then = {r.unit: r for r in unit_rows(redis, units, before, category, hidden, paths)}
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
