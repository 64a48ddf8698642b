"""The projection lock (``lb:lock:projection``): drains, rebuilds, verifies and archiving each
hold it, so they never overlap. The Redis writes check it themselves (``script``); a holder
renews it as it goes (``lock.reacquire()``), so only a stuck holder loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock

from services.leaderboard.keys import LOCK

log = logging.getLogger(__name__)

# Renewed on every page (a page waits at most UPSTREAM_TIMEOUT for the points service) and
# every few derivation steps, so only a stuck holder loses it; and a worker killed while
# holding it stalls projection for this long at most.
LOCK_SECONDS = 20
LOCK_WAIT_SECONDS = 120


class Busy(RuntimeError):
    """The projection lock stayed busy; a retried job tries again."""


def projection_lock(redis: Redis) -> Lock:
    # thread_local=False: the token is read back (lock.local.token) to pass to Lua checks.
    lock: Lock = redis.lock(
        LOCK, timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS, thread_local=False
    )
    return lock


@contextmanager
def locked(redis: Redis) -> Iterator[Lock]:
    """Hold the projection lock for the block; ``Busy`` if it stayed taken too long."""
    lock = projection_lock(redis)
    if not lock.acquire():
        raise Busy("the projection lock stayed busy; the job will be retried")
    try:
        yield lock
    finally:
        try:
            lock.release()
        except LockError:
            log.warning("projection lock had already expired when released")
