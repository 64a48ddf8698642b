"""The limiter's Redis storage: the library's own, with one round trip a request instead of three.

Flask-Limiter counts a request with the ``limits`` library's fixed window (its ``incr``: one Lua
script that adds to the window's count and starts its expiry), then reads the window back for
the ``X-RateLimit-*`` headers (``get`` and ``get_expiry``: two more round trips, for a count and
a time to live it could have had at once). Here the script and the ``TTL`` go out together in
one pipeline, and what they answered is kept for the rest of the request (in ``flask.g``), so
the headers and a 429's ``Retry-After`` cost nothing more. The counting is the library's: the
same script, the same keys; only the round trips are fewer.

The storage is chosen by its scheme (``limits``' registry of storages) and is handed the
connection pool to use, made with the platform's Redis client settings
(``services.common.redis_client``).
"""

from __future__ import annotations

import time
from typing import cast

from flask import g, has_request_context
from limits.storage import RedisStorage
from redis import Redis
from redis.exceptions import NoScriptError

SCHEME = "gateway+redis"


class OneTripRedisStorage(RedisStorage):
    STORAGE_SCHEME = [SCHEME]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        name = self.prefixed_key(key)
        pipe = cast(Redis, self.get_connection()).pipeline(transaction=False)
        # By its hash, as the script object sends it: a pipeline that is handed the script
        # object asks Redis whether it knows it on every call, a round trip more.
        pipe.evalsha(self.lua_incr_expire.sha, 1, name, expiry, amount)
        pipe.ttl(name)
        try:
            count, ttl = pipe.execute()
        except NoScriptError:  # a Redis restarted or flushed: the library loads the script
            count, ttl = super().incr(key, expiry, amount), self.get_connection().ttl(name)
        if has_request_context():
            g.setdefault("rate_windows", {})[name] = (int(count), max(int(ttl), 0) + time.time())
        return int(count)

    def get(self, key: str) -> int:
        seen = _seen(self.prefixed_key(key))
        return seen[0] if seen else super().get(key)

    def get_expiry(self, key: str) -> float:
        seen = _seen(self.prefixed_key(key))
        return seen[1] if seen else super().get_expiry(key)


def _seen(name: str) -> tuple[int, float] | None:
    """What this request's own count answered for the window ``name``, if it counted there."""
    if not has_request_context():
        return None
    windows: dict[str, tuple[int, float]] = g.get("rate_windows", {})
    return windows.get(name)
