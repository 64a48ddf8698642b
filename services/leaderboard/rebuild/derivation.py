"""How every board and activity set follows from the finest ones. Pure: no Redis here.

A rebuild writes only the *parts*: one sorted set per (unit path, local day, category) of the
settled ledger, possibly in several pieces (the ledger is read in pages by id, and one part's
entries may lie on several pages). Everything else is a union of keys built before it, which
Redis computes (``ZUNIONSTORE``/``SUNIONSTORE``) far faster than a client could add it up:

1. unit scopes, per day and category: a unit's board is the union of its own part and its
   child units' boards; the org board is the union of the top-level units' boards;
2. the total of a scope and day is the union of its categories;
3. per scope and category (total included), every longer period from shorter ones: a week
   from its days, a month from its weeks (the days of a week it shares with another month
   from those days), a quarter from its months, a year from its quarters, all time from years;
4. activity sets (members with an entry that earned points) likewise, from the day sets.

Each entry so reaches exactly the boards ``keys.boards_for`` names: the same scopes (its unit
path), the same periods (its day) and the same categories (its own and the total).

Steps name live keys (``lb:{...}``, ``lb:act:{...}``) and internal ones (``piece:...``,
``node:...``, ``sum:...``); the builder maps both to its temporary keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from services.common.calendar import period_key, period_keys
from services.leaderboard.keys import (
    LIVE_PREFIX,
    ORG,
    TOTAL,
    activity_key,
    board_key,
    unit_scope,
)

# Each longer period and the shorter ones it is the union of.
LEVELS = (
    ("week", "day"),
    ("month", "month part"),  # its weeks, and the days of weeks it shares with another month
    ("quarter", "month"),
    ("year", "quarter"),
    ("all", "year"),
)


@dataclass(frozen=True)
class Part:
    """The finest board: the entries of one unit path (where the member was), day, category."""

    unit_path: tuple[str, ...]
    day: date
    category: str


@dataclass(frozen=True)
class Step:
    """``dst`` := the union of ``sources`` (a sorted set, or a set when ``kind`` is "set").

    ``move``: the only source is used by no other step, so it may be renamed, not copied.
    """

    dst: str
    sources: tuple[str, ...]
    kind: str = "zset"
    move: bool = False


def plan(parts: Mapping[Part, Sequence[str]], active_days: Iterable[date]) -> list[Step]:
    """Every step, in an order where each key is built before it is read. ``parts`` maps each
    part to the keys of its pieces; ``active_days`` are the days whose activity set exists."""
    pieces_by_day: dict[tuple[date, str], dict[tuple[str, ...], Sequence[str]]] = defaultdict(dict)
    for part, pieces in parts.items():
        pieces_by_day[(part.day, part.category)][part.unit_path] = pieces
    steps: list[Step] = []
    categories_of: dict[tuple[str, date], list[str]] = defaultdict(list)
    days_of: dict[tuple[str, str], set[date]] = defaultdict(set)
    for (day, category), pieces_of in sorted(pieces_by_day.items()):
        for scope, key in _unit_scopes(pieces_of, day, category, steps).items():
            categories_of[(scope, day)].append(key)
            days_of[(scope, TOTAL)].add(day)
            if category != TOTAL:
                days_of[(scope, category)].add(day)
    for (scope, day), keys in categories_of.items():
        steps.append(Step(board_key(scope, period_key("day", day), TOTAL), tuple(keys)))
    calendar = _Calendar()
    for (scope, category), days in days_of.items():
        steps += calendar.periods(days, _board_of(scope, category))
    steps += calendar.periods(set(active_days), activity_key, kind="set")
    return _mark_moves(steps)


def needed(steps: Sequence[Step], wanted: Callable[[str], bool]) -> list[Step]:
    """Only the steps that build a wanted key or something a wanted key is built from."""
    keep: set[str] = set()
    kept: list[Step] = []
    for step in reversed(steps):
        if step.dst in keep or (step.dst.startswith(LIVE_PREFIX) and wanted(step.dst)):
            kept.append(step)
            keep.update(step.sources)
    return kept[::-1]


def _unit_scopes(
    pieces_of: Mapping[tuple[str, ...], Sequence[str]],
    day: date,
    category: str,
    steps: list[Step],
) -> dict[str, str]:
    """Steps adding up one day and category over the unit tree; returns scope -> its key.

    The tree is the one the unit paths describe, as a tree of paths: a unit whose code
    appears on two paths (it moved between pages of the ledger) gets the union of both.
    """
    nodes = {path[:depth] for path in pieces_of for depth in range(len(path) + 1)}
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    paths_of: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for node in sorted(nodes):
        if node:
            children[node[:-1]].append(node)
            paths_of[node[-1]].append(node)
    day_key = period_key("day", day)

    def key_of(node: tuple[str, ...]) -> str:
        scope = unit_scope(node[-1]) if node else ORG
        if node and len(paths_of[node[-1]]) > 1:
            return f"node:{'/'.join(node)}:{day_key}:{category}"
        return _category_key(scope, day_key, category)

    for node in sorted(nodes, key=len, reverse=True):  # children before their parent
        sources = [*pieces_of.get(node, ()), *(key_of(child) for child in children[node])]
        steps.append(Step(key_of(node), tuple(sources)))
    scopes = {ORG: key_of(())}
    for code, paths in paths_of.items():
        scope = unit_scope(code)
        if len(paths) > 1:
            steps.append(Step(_category_key(scope, day_key, category), tuple(map(key_of, paths))))
        scopes[scope] = _category_key(scope, day_key, category)
    return scopes


def _board_of(scope: str, category: str) -> Callable[[str], str]:
    return lambda period: board_key(scope, period, category)


def _category_key(scope: str, day_key: str, category: str) -> str:
    """A scope's board of one category and day. A category literally named "total" has no
    boards of its own (its entries count once, on the total boards): an internal key."""
    if category == TOTAL:
        return f"sum:{scope}:{day_key}"
    return board_key(scope, day_key, category)


class _Calendar:
    """Period keys of each day, worked out once per day however many boards it has."""

    def __init__(self) -> None:
        self._keys: dict[date, dict[str, str]] = {}

    def periods(self, days: set[date], key: Callable[[str], str], kind: str = "zset") -> list[Step]:
        """Week, month, quarter, year and all-time keys from the day keys of ``days``."""
        keys_of = [self._keys.get(day) or self._keys_of(day) for day in days]
        steps = []
        for period, shorter in LEVELS:
            sources: dict[str, set[str]] = defaultdict(set)
            for keys in keys_of:
                sources[keys[period]].add(keys[shorter])
            for pk, parts in sorted(sources.items()):
                steps.append(Step(key(pk), tuple(key(part) for part in sorted(parts)), kind))
        return steps

    def _keys_of(self, day: date) -> dict[str, str]:
        keys = self._keys[day] = period_keys(day)
        monday = day - timedelta(days=day.weekday())
        whole_week = monday.month == (monday + timedelta(days=6)).month
        # A week inside one month is fewer members to add up than its seven days.
        keys["month part"] = keys["week" if whole_week else "day"]
        return keys


def _mark_moves(steps: list[Step]) -> list[Step]:
    uses: dict[str, int] = defaultdict(int)
    for step in steps:
        for source in step.sources:
            uses[source] += 1
    return [
        replace(step, move=True)
        if len(step.sources) == 1
        and not step.sources[0].startswith(LIVE_PREFIX)
        and uses[step.sources[0]] == 1
        else step
        for step in steps
    ]
