"""Rebuilding boards from the ledger: everything, one period, or one board.

A build pages the points service's *settled* ledger (entries no longer in the outbox), summed
per unit, category, day and member, into temporary keys; Redis derives every other board from
those sums (``derivation.py``) and the builder swaps them in at once (``builder.py``), all
under the projection lock. A partial build first drains the outbox, so that every entry
applied to the live boards is a settled one and ``lb:applied`` may stay as it is; entries
written during the build are in the outbox and reach every board, the rebuilt ones included,
through the next drain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from services.common.http import ServiceClient
from services.leaderboard.keys import (
    ACTIVITY_PREFIX,
    INACTIVE,
    TOTAL,
    UNITS,
    parse_board,
    scopes_for,
)
from services.leaderboard.periods import bounds
from services.leaderboard.rebuild.builder import BoardBuilder
from services.leaderboard.rebuild.derivation import Part

LEDGER_PAGE = 50_000  # entries per page of sums: a second or two of the points service's time
DIRECTORY_PAGE = 10_000
RENEW_SECONDS = 10  # how often the lock is renewed while waiting for the directory

Progress = Callable[..., None]
T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """What to rebuild; every part None is everything."""

    scope: str | None = None
    period: str | None = None
    period_key: str | None = None
    category: str | None = None
    at: date | None = None

    @property
    def everything(self) -> bool:
        return self.scope is None and self.period_key is None and self.category is None

    def owns(self, key: str) -> bool:
        if key.startswith(ACTIVITY_PREFIX):
            return self.activity and key == f"{ACTIVITY_PREFIX}{self.period_key}}}"
        scope, period_key, category = parse_board(key)
        return (
            (self.scope is None or scope == self.scope)
            and (self.period_key is None or period_key == self.period_key)
            and (self.category is None or category == self.category)
        )

    def wants(self, unit_path: tuple[str, ...], category: str) -> bool:
        """Whether entries of this unit path and category count on a board this target owns."""
        return self.category in (None, TOTAL, category) and (
            self.scope is None or self.scope in scopes_for(unit_path)
        )

    @property
    def activity(self) -> bool:
        """Whether the target owns activity sets (they belong to whole periods)."""
        return self.scope is None and self.category is None

    def dates(self) -> dict[str, str]:
        """The ledger filter: only the target period's days, when it has bounds."""
        if self.period in (None, "all") or self.at is None:
            return {}
        first, last = bounds(self.period, self.at)
        return {"from_date": first.isoformat(), "to_date": last.isoformat()}

    def describe(self) -> dict[str, Any]:
        return {"scope": self.scope, "period_key": self.period_key, "category": self.category}


def settled_sums(points: ServiceClient, **filters: str) -> Iterator[dict[str, Any]]:
    after_id: int | None = 0
    while after_id is not None:
        page = points.get(
            "/internal/v1/ledger/settled-sums", after_id=after_id, limit=LEDGER_PAGE, **filters
        )
        yield page
        after_id = page.get("next_after_id")


def prefetched(pages: Iterator[T]) -> Iterator[T]:
    """The same pages, each next one fetched while the caller works on the current one: the
    points service reads and sums a page while this process writes the previous one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        following = pool.submit(next, pages, None)
        while (page := following.result()) is not None:
            following = pool.submit(next, pages, None)
            yield page


def directory_pages(points: ServiceClient) -> Iterator[list[dict[str, Any]]]:
    after: str | None = ""
    while after is not None:
        page = points.get("/internal/v1/members/directory", after=after, limit=DIRECTORY_PAGE)
        if page["items"]:
            yield page["items"]
        after = page.get("next_after")


def build(
    builder: BoardBuilder,
    points: ServiceClient,
    target: Target,
    keep_alive: Callable[[], Any],
    progress: Progress,
    directory: bool | None = None,
) -> int:
    """Fill ``builder`` from the ledger, and from the directory when ``directory`` (by default
    for a full build: verify compares boards only); returns the number of entries read."""
    read = read_ledger(builder, points, target, keep_alive, progress)
    progress(phase="derive", entries_read=read)
    if not (target.everything if directory is None else directory):
        builder.derive(keep_alive)
        return read
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Read while Redis derives the boards: this process would only wait for it.
        reading = pool.submit(build_directory, builder, points)
        builder.derive(keep_alive)
        while wait([reading], timeout=RENEW_SECONDS).not_done:
            keep_alive()
        reading.result()
    return read


def read_ledger(
    builder: BoardBuilder,
    points: ServiceClient,
    target: Target,
    keep_alive: Callable[[], Any],
    progress: Progress,
) -> int:
    """Every page of the settled ledger's sums into ``builder``; returns the entries read."""
    read = 0
    for page in prefetched(settled_sums(points, **target.dates())):
        keep_alive()
        read += add_page(builder, page, target)
        progress(phase="ledger", entries_read=read)
    return read


def add_page(builder: BoardBuilder, page: dict[str, Any], target: Target) -> int:
    """The sums of one page of the feed that the target needs, and who earned points on each
    day; returns the number of entries the page sums up."""
    parts = []
    earned: dict[date, set[str]] = defaultdict(set)
    for item in page["items"]:
        path, category = tuple(item["unit_path"]), item["category"]
        day = date.fromisoformat(item["local_date"])
        if target.wants(path, category):
            points = dict(zip(item["members"], item["points"], strict=True))
            parts.append((Part(path, day, category), points))
        if target.activity and item["earned"]:
            earned[day].update(item["earned"])
    builder.add_parts(parts)
    builder.add_activity(earned)
    return int(page["entries"])


def build_directory(builder: BoardBuilder, points: ServiceClient) -> None:
    """Names, current units and inactive members, as the points service has them now. Every
    member the ledger names is in the directory (members are never deleted)."""
    builder.mirrors.update({UNITS, INACTIVE})
    for members in directory_pages(points):
        builder.add_names({m["staff_no"]: m["name"] for m in members})
        units = {m["staff_no"]: "/".join(m["unit_path"]) for m in members}
        inactive = [m["staff_no"] for m in members if not m["active"]]
        builder.add_mirror(UNITS, hash_items=units, members=())
        builder.add_mirror(INACTIVE, members=inactive)
