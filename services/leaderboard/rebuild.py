"""Rebuilding boards from the ledger: everything, one period, or one board.

A build pages the points service's *settled* ledger (entries no longer in the outbox) into
temporary keys and swaps them in at once (``BoardBuilder``), under the projection lock. A
partial build first drains the outbox, so that every entry applied to the live boards is a
settled one and ``lb:applied`` may stay as it is; entries written during the build are in the
outbox and reach every board, the rebuilt ones included, through the next drain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.common.http import ServiceClient
from services.leaderboard.keys import INACTIVE, UNITS, parse_board
from services.leaderboard.periods import bounds
from services.leaderboard.projection import BoardBuilder, aggregate, aggregate_activity

LEDGER_PAGE = 10_000
DIRECTORY_PAGE = 1000

Progress = Callable[..., None]


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
        if key.startswith("lb:act:{"):
            whole_period = self.scope is None and self.category is None
            return whole_period and key == f"lb:act:{{{self.period_key}}}"
        scope, period_key, category = parse_board(key)
        return (
            (self.scope is None or scope == self.scope)
            and (self.period_key is None or period_key == self.period_key)
            and (self.category is None or category == self.category)
        )

    def dates(self) -> dict[str, str]:
        """The ledger filter: only the target period's days, when it has bounds."""
        if self.period in (None, "all") or self.at is None:
            return {}
        first, last = bounds(self.period, self.at)
        return {"from_date": first.isoformat(), "to_date": last.isoformat()}

    def describe(self) -> dict[str, Any]:
        return {"scope": self.scope, "period_key": self.period_key, "category": self.category}


def settled_pages(points: ServiceClient, **filters: str) -> Iterator[list[dict[str, Any]]]:
    after_id: int | None = 0
    while after_id is not None:
        page = points.get(
            "/internal/v1/ledger/settled", after_id=after_id, limit=LEDGER_PAGE, **filters
        )
        if page["items"]:
            yield page["items"]
        after_id = page.get("next_after_id")


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
) -> int:
    """Fill ``builder`` from the ledger (and the directory, for a full build); returns the
    number of entries read."""
    read = 0
    for entries in settled_pages(points, **target.dates()):
        keep_alive()
        boards, names = aggregate(entries)
        builder.add_points(boards)
        builder.add_activity(aggregate_activity(entries))
        if target.everything:
            builder.add_names(names)
        read += len(entries)
        progress(phase="ledger", entries_read=read)
    if target.everything:
        builder.mirrors.update({UNITS, INACTIVE})
        for members in directory_pages(points):
            keep_alive()
            # Added after the ledger's names, so the directory's current names win.
            builder.add_names({m["staff_no"]: m["name"] for m in members})
            units = {m["staff_no"]: "/".join(m["unit_path"]) for m in members}
            inactive = [m["staff_no"] for m in members if not m["active"]]
            builder.add_mirror(UNITS, hash_items=units, members=())
            builder.add_mirror(INACTIVE, members=inactive)
    return read
