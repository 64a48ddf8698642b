"""Which Redis key answers a query, and who is left off it.

Stored boards are read as they are. Every other board is *derived* at read time from stored
ones and cached under a short-lived key named by the store's generation (bumped by every
write to the boards) and the configuration's version, so a cached board is never stale:
rolling and campaign windows are the ZUNIONSTORE of their month and day boards, a group's
board is the ZINTERSTORE of the org board with the group's member set, and "all time before
this week" (for movement) is the all-time board minus this week's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import (
    CACHE_PREFIX,
    CONFIG_VERSION,
    EXCLUDED,
    GENERATION,
    INACTIVE,
    ORG,
    activity_key,
    board_key,
    group_key,
)
from services.leaderboard.periods import Window, previous, window

CACHE_SECONDS = 60


@dataclass(frozen=True)
class BoardRef:
    scope: str
    window: Window
    category: str
    key: str

    def describe(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "period": self.window.period,
            "period_key": self.window.period_key,
            "category": self.category,
        }


# Members left off every board: inactive ones and members of excluded groups.
HIDDEN_SETS = [INACTIVE, EXCLUDED]


def hidden(redis: Redis) -> set[str]:
    """Members left off every board."""
    return {text(m) or "" for m in sync(redis.sunion(HIDDEN_SETS))}


def cache_key(redis: Redis, *parts: str) -> str:
    generation, version = sync(redis.mget(GENERATION, CONFIG_VERSION))
    stamp = f"{text(generation) or 0}:{text(version) or 0}"
    return CACHE_PREFIX + stamp + ":" + ":".join(parts)


def _derive(
    redis: Redis, dest: str, sources: list[tuple[str, int]], drop_zero: bool = False
) -> str:
    if redis.expire(dest, CACHE_SECONDS):  # cached, and kept a little longer for this read
        return dest
    pipe = redis.pipeline()  # MULTI: a reader never sees a half-made derived board
    pipe.zunionstore(dest, dict(sources))
    if drop_zero:
        pipe.zremrangebyscore(dest, 0, 0)
    pipe.expire(dest, CACHE_SECONDS)
    pipe.execute()
    return dest


def _within_group(redis: Redis, dest: str, whole: str, group: str) -> str:
    """The group's rows of a whole-organisation board. The organisation's board is derived
    (and cached) on its own first, so a group whose board comes out empty, which Redis cannot
    cache, costs an intersection bounded by the group's size on every read, never a union of
    the whole organisation."""
    if redis.expire(dest, CACHE_SECONDS):
        return dest
    pipe = redis.pipeline()
    pipe.zinterstore(dest, {whole: 1, group_key(group): 0})
    pipe.expire(dest, CACHE_SECONDS)
    pipe.execute()
    return dest


def group_of(scope: str) -> str | None:
    return scope.removeprefix("group:") if scope.startswith("group:") else None


def board(redis: Redis, scope: str, current: Window, category: str) -> BoardRef:
    """The board a query names, materialised when derived."""
    group = group_of(scope)
    if group is not None:
        whole = board(redis, ORG, current, category).key
        dest = cache_key(redis, scope, current.period_key, category)
        return BoardRef(scope, current, category, _within_group(redis, dest, whole, group))
    sources = [(board_key(scope, part, category), 1) for part in current.parts]
    if len(sources) == 1:
        return BoardRef(scope, current, category, sources[0][0])
    dest = cache_key(redis, scope, current.period_key, category)
    return BoardRef(scope, current, category, _derive(redis, dest, sources))


def previous_board(
    redis: Redis, scope: str, current: Window, category: str, at: date, since: str = "week"
) -> BoardRef:
    """The board a movement compares against (see ``periods.previous``)."""
    before = previous(current, since)
    if current.period != "all":
        return board(redis, scope, before, category)
    assert current.end is None
    this = window(since, at)
    named = Window("all", f"before-{this.period_key}", None, None, ("all",))
    dest = cache_key(redis, scope, named.period_key, category)
    group = group_of(scope)
    if group is not None:
        whole = previous_board(redis, ORG, current, category, at, since).key
        return BoardRef(scope, named, category, _within_group(redis, dest, whole, group))
    sources = [(board_key(scope, "all", category), 1)]
    sources += [(board_key(scope, part, category), -1) for part in this.parts]
    return BoardRef(scope, named, category, _derive(redis, dest, sources, drop_zero=True))


def activity(redis: Redis, current: Window) -> str:
    """The key of the set of members with an entry that earned points in the window."""
    keys = [activity_key(part) for part in current.parts]
    if len(keys) == 1:
        return keys[0]
    dest = cache_key(redis, "activity", current.period_key)
    if not redis.expire(dest, CACHE_SECONDS):
        pipe = redis.pipeline()
        pipe.sunionstore(dest, keys)
        pipe.expire(dest, CACHE_SECONDS)
        pipe.execute()
    return dest
