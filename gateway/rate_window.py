"""The limiter's Redis storage: the library's own counting, with Redis off most requests' path.

The door (``gateway.rate_limits``) counts a request with the ``limits`` library's fixed
window: the storage's ``incr`` (one Lua script that adds to the window's count and starts its
expiry), then ``get`` and ``get_expiry`` for the ``X-RateLimit-*`` headers. Asked of Redis on
every request, that round trip was most of what the limiter cost a request (the README's
bench notes). Here each gateway worker keeps what it last heard of each window (the shared
count, when the window ends) and what it has added since, and goes to Redis only when the
answer could matter:

- while a caller has used less than half of its limit, as this worker last heard, and this
  worker heard from Redis less than ``SEND_EVERY`` ago, the request is counted in the worker's
  memory: no round trip;
- otherwise, and for every caller's first request in a window, the worker sends what it has
  counted since, with this request, in one pipeline (the library's script and a ``TTL``) and
  takes the shared count back. Near a limit every request goes to Redis, so a 429 is decided
  on every worker's count, as before.

What that leaves approximate, by design: another worker's requests of the last ``SEND_EVERY``
(at most half the limit) are not yet in the count this worker answers from, so in a window a
caller can get at most ``(workers - 1) x min(limit / 2, its requests in SEND_EVERY)`` past its
limit, and ``X-RateLimit-Remaining`` can be that much high. A worker's unsent requests are sent
with its next request to Redis for that caller; a window's unsent requests are dropped when it
ends. The keys, the script and the TTL are the library's; its tests run on them unchanged.

The storage is chosen by its scheme (``limits``' registry of storages) and is handed the
connection pool to use, made with the platform's client settings
(``services.common.redis_client``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from limits.storage import RedisStorage
from redis import Redis
from redis.exceptions import NoScriptError

SCHEME = "gateway+redis"
# How stale a worker's view of a window may be before its next request for that caller goes
# to Redis: at the bench's read rate, one request in a few dozen.
SEND_EVERY = 0.25
# Windows this worker has heard of, past which the ended ones are forgotten.
KEPT = 10_000


@dataclass
class Window:
    shared: int  # every worker's count, as Redis answered at the last round trip
    ends: float  # when the window ends (epoch seconds)
    heard: float  # when that round trip was
    unsent: int = 0  # this worker's requests since

    @property
    def count(self) -> int:
        return self.shared + self.unsent


class BatchingRedisStorage(RedisStorage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri, **options)
        self.windows: dict[str, Window] = {}
        self.lock = threading.Lock()  # the gateway's workers are processes; this is for tests

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        name, now = self.prefixed_key(key), time.time()
        with self.lock:
            window = self.windows.get(name)
            if window is not None and window.ends <= now:
                window = None  # the window ended: what it had unsent belongs to no window
            if window is not None and _may_count_here(window, _limit_of(key), amount, now):
                window.unsent += amount
                return window.count
            sending = amount + (window.unsent if window else 0)
            if window is not None:
                window.unsent = 0
        count, ttl = self._send(name, expiry, sending)
        with self.lock:
            window = self.windows.get(name)
            if window is None or window.ends <= now:
                if len(self.windows) >= KEPT:
                    self._forget_ended(now)
                window = self.windows[name] = Window(count, now + ttl, now)
            else:  # requests counted here meanwhile stay unsent
                window.shared, window.ends, window.heard = count, now + ttl, now
            return window.count

    def _send(self, name: str, expiry: int, amount: int) -> tuple[int, int]:
        """Add ``amount`` to the window in Redis; its count and seconds left, in one trip."""
        pipe = cast(Redis, self.get_connection()).pipeline(transaction=False)
        # By its hash, as the script object sends it: a pipeline that is handed the script
        # object asks Redis whether it knows it on every call, a round trip more.
        pipe.evalsha(self.lua_incr_expire.sha, 1, name, expiry, amount)
        pipe.ttl(name)
        try:
            count, ttl = pipe.execute()
        except NoScriptError:  # a Redis restarted or flushed: the library loads the script
            count = int(self.lua_incr_expire([name], [expiry, amount]))
            ttl = self.get_connection().ttl(name)
        return int(count), max(int(ttl), 0)

    def get(self, key: str) -> int:
        window = self._heard(key)
        return window.count if window else super().get(key)

    def get_expiry(self, key: str) -> float:
        window = self._heard(key)
        return window.ends if window else super().get_expiry(key)

    def clear(self, key: str) -> None:
        with self.lock:
            self.windows.pop(self.prefixed_key(key), None)
        super().clear(key)

    def reset(self) -> int | None:
        with self.lock:
            self.windows.clear()
        return super().reset()

    def _heard(self, key: str) -> Window | None:
        window = self.windows.get(self.prefixed_key(key))
        return window if window is not None and window.ends > time.time() else None

    def _forget_ended(self, now: float) -> None:
        for name in [name for name, window in self.windows.items() if window.ends <= now]:
            del self.windows[name]


def _may_count_here(window: Window, limit: int, amount: int, now: float) -> bool:
    return now - window.heard < SEND_EVERY and 2 * (window.count + amount) <= limit


def _limit_of(key: str) -> int:
    """The limit's amount, which ``limits`` writes into the key it counts under
    (``.../<amount>/<multiples>/<granularity>``)."""
    return int(key.rsplit("/", 3)[1])
