"""Results that cost a pass over every member (team standings, most improved members),
computed once across every worker and served from Redis.

A result is kept under ``lb:shared:<name>`` with the *stamp* of what it was computed from
(the boards' generation, the configuration's version and the directory's version, so any
write, rebuild, exclusion or member change makes a new stamp) and the time its computation
started. A reader serves it when its stamp is current (exact), or when it is younger than
``FRESH_SECONDS`` or ``COST_SHARE`` times its computation's duration, whichever is longer
(writes since then wait at most that long to show). Otherwise one reader takes
``lb:shared:lock:<name>`` (``SET NX``) and computes; the others serve the previous result
meanwhile, or, when there is none yet, wait for it (polling; a reader killed mid-way lets its
lock expire after ``LOCK_SECONDS``, and the next one computes). So an answer is at most that
window plus one computation old, and computing a result takes at most a ``COST_SHARE``-th of
the time (one core at a time), whatever the number of readers and workers.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeGuard

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import CONFIG_VERSION, DIRECTORY_VERSION, GENERATION, LIVE_PREFIX

FRESH_SECONDS = 15
# ... or, for a result that took long to compute, this many times as long: recomputing then
# costs at most a tenth of a core per result (at 1M members a team count takes ~8 s of CPU).
COST_SHARE = 10
# A result is kept this long after it was computed, to be served while a newer one computes.
KEEP_SECONDS = 600
# Longer than a computation at 1M members takes (docs/architecture.md, "Results shared
# across workers"): a reader killed mid-way holds the lock this long at most.
LOCK_SECONDS = 60
POLL_SECONDS = 0.02
SHARED_PREFIX = f"{LIVE_PREFIX}shared:"

# Deletes the lock only if this reader still holds it (it may have expired and been taken).
RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def stamp(redis: Redis) -> str:
    """What a result depends on, as one string: it changes with every write that could
    change an answer (boards, configuration, directory)."""
    values = sync(redis.mget(GENERATION, CONFIG_VERSION, DIRECTORY_VERSION))
    return ":".join(text(value) or "0" for value in values)


def shared(redis: Redis, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON-able result for ``name``, computed at most once per
    ``FRESH_SECONDS`` across every worker (see the module's docstring)."""
    key, lock = SHARED_PREFIX + name, SHARED_PREFIX + "lock:" + name
    while True:
        current, held = stamp(redis), _held(redis, key)
        if _serves(held, current):
            return held["value"]
        token = secrets.token_hex(8)
        if sync(redis.set(lock, token, nx=True, ex=LOCK_SECONDS)):
            held = _held(redis, key)  # stored by a reader that let the lock go just now?
            if _serves(held, current):
                _release(redis, lock, token)
                return held["value"]
            return _compute(redis, key, lock, token, current, compute)
        if held is not None:  # another reader is computing: the previous answer meanwhile
            return held["value"]
        time.sleep(POLL_SECONDS)  # the first result: wait for it (or for its lock to expire)


def peek(redis: Redis, name: str) -> Any:
    """The result kept for ``name``, however old, or None."""
    held = _held(redis, SHARED_PREFIX + name)
    return None if held is None else held["value"]


def _serves(held: dict[str, Any] | None, current: str) -> TypeGuard[dict[str, Any]]:
    """Whether a kept result answers: computed from the current stamp, or recently."""
    if held is None:
        return False
    fresh = max(FRESH_SECONDS, COST_SHARE * held.get("took", 0))
    return bool(held["stamp"] == current or time.time() - held["at"] < fresh)


def _release(redis: Redis, lock: str, token: str) -> None:
    redis.register_script(RELEASE_LUA)(keys=[lock], args=[token])


def _held(redis: Redis, key: str) -> dict[str, Any] | None:
    raw = sync(redis.get(key))
    found: dict[str, Any] | None = json.loads(raw) if raw else None
    return found


def _compute(
    redis: Redis, key: str, lock: str, token: str, current: str, compute: Callable[[], Any]
) -> Any:
    started = time.time()
    try:
        value = compute()
        took = round(time.time() - started, 3)
        held = {"stamp": current, "at": started, "took": took, "value": value}
        redis.set(key, json.dumps(held, separators=(",", ":")), ex=KEEP_SECONDS)
        return value
    finally:
        _release(redis, lock, token)
