"""Request rate limits at the door: the ``limits`` library's fixed windows, on the platform's
Redis.

Who is counted is the caller, read from the credential it sends without authenticating it
(the proxy view does that, once, after this check): an API key by its prefix (one prefix, one
key), a person's access token by its hash (one sign-in), and a request with no usable
credential by the client's address. The gateway's public sign-in endpoints (sign-in, refresh,
reset) are always counted by address: whatever header comes with them, their callers are not
signed in yet. Each caller has one count per class of request and window, with the class's
limit (``RATE_LIMIT_READ``, ``_WRITE``, ``_EVENTS``, ``_ANONYMOUS``): reads (GET, HEAD,
OPTIONS), writes, events (``POST /api/v1/events``; a batch is one request), and requests
counted by address. Liveness, readiness, the services' health, the API document and its docs
page are never limited (``gateway.public``).

Counts live in Redis, so every gateway worker shares them; a caller far from its limit is
counted in the worker and sent to Redis in batches (``gateway.rate_window``). Redis failing
never fails a request: the limiter then counts in the worker's memory, with the same limits,
and tries Redis again ``RETRY_REDIS`` seconds later.

A breach is the platform's error shape with 429, ``Retry-After`` and a message naming the
limit; every limited answer carries ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``.

Why ``limits`` and not Flask-Limiter on top of it: the counting, the keys and the windows are
the same library's either way, and the limits here are one per class of request, chosen in
one place; Flask-Limiter's per-request work (resolving the application's, blueprint's and
view's limits and exemptions, parsing the limit string, its context) was most of what the
limiter still cost a standing read once Redis was off its path (the README's bench notes).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from limits.util import WindowStats

from gateway import public, rate_window, routes, tokens
from gateway import session as web_session
from gateway.auth_api import address
from gateway.keys import hash_secret, prefix_of
from services.common.errors import json_error
from services.common.redis_client import redis_from_url
from services.settings import Settings

log = logging.getLogger(__name__)
READ, WRITE, EVENTS, ANONYMOUS = "read", "write", "events", "anonymous"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The gateway's own endpoints that take no credential: their callers are counted by address.
SIGNING_IN = frozenset(
    {"auth.sign_in", "auth.refresh", "auth.redeem", "pages.sign_in", "pages.reset"}
)
KEY_PREFIX = "gateway-requests"
# A Redis that hangs must not hold a request for long: past these the limiter counts in memory.
TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
# After Redis failed, how long a worker counts in memory before it asks Redis again.
RETRY_REDIS = 5.0


@dataclass(frozen=True)
class Counted:
    """One request as the limiter sees it: whose count it adds to, and which class."""

    kind: str  # "key", "sign-in" or "address": how the caller is told apart
    identity: str
    request_class: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.identity}"


def counted() -> Counted:
    """The current request's caller and class, worked out once per request."""
    found: Counted | None = g.get("rate_counted")
    if found is None:
        found = g.rate_counted = _classify()
    return found


def _classify() -> Counted:
    who = None if request.endpoint in SIGNING_IN else _credential()
    if who is None:
        return Counted("address", address(), ANONYMOUS)
    return Counted(*who, _class_of(request.method, request.path))


def _credential() -> tuple[str, str] | None:
    """How the credential names its caller; None when there is none to speak of. As in
    Callers.from_request: the Authorization header if sent, else the session cookie (so the
    people of one office, behind one address, are counted each on their own)."""
    if "Authorization" in request.headers:
        scheme, _, secret = request.headers["Authorization"].partition(" ")
        if scheme.lower() != "bearer":
            return None
    else:
        secret = request.cookies.get(web_session.COOKIE, "")
    secret = secret.strip()
    if not secret:
        return None
    prefix = prefix_of(secret)
    if prefix is not None:
        return "key", prefix
    if tokens.is_token(secret):
        return "sign-in", hash_secret(secret)[:32]  # the token itself never reaches Redis
    return None


def _class_of(method: str, path: str) -> str:
    if method in READ_METHODS:
        return READ
    route, _ = routes.lookup(method, path)
    return EVENTS if route is not None and route.scope == EVENTS else WRITE


class Limiter:
    """The door's limits: one per class of request, counted in Redis (or, while Redis fails,
    in this worker's memory)."""

    def __init__(self, settings: Settings) -> None:
        self.items: dict[str, RateLimitItem] = {
            READ: parse(settings.rate_limit_read),
            WRITE: parse(settings.rate_limit_write),
            EVENTS: parse(settings.rate_limit_events),
            ANONYMOUS: parse(settings.rate_limit_anonymous),
        }
        storage = rate_window.BatchingRedisStorage(
            f"{rate_window.SCHEME}://", connection_pool=_pool(settings)
        )
        self.shared = FixedWindowRateLimiter(storage)
        self.failures = storage.base_exceptions
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        self.redis_back_at = 0.0  # while in the future, Redis failed lately: count in memory

    def check(self) -> Response | None:
        """Count the request; a 429 when it is past its class's limit, else None."""
        if request.blueprint == public.blp.name or request.endpoint == "pages.static":
            return None
        who = counted()
        item = self.items[who.request_class]
        allowed, window = self._hit(item, (KEY_PREFIX, who.key, who.request_class))
        g.rate_limit = (item, window)
        if allowed:
            return None
        wait = _seconds_left(item, window.reset_time)
        message = (
            f"Too many requests for {_WHO[who.kind]}: at most {item.amount} per "
            f"{_window(item)}; try again in {wait} s."
        )
        return json_error(429, message, headers={"Retry-After": str(wait)})

    def _hit(self, item: RateLimitItem, names: tuple[str, ...]) -> tuple[bool, WindowStats]:
        if time.monotonic() >= self.redis_back_at:
            try:
                return self.shared.hit(item, *names), self.shared.get_window_stats(item, *names)
            except self.failures as exc:
                log.warning("rate limits counted in memory for %.0f s: %s", RETRY_REDIS, exc)
                self.redis_back_at = time.monotonic() + RETRY_REDIS
        return self.memory.hit(item, *names), self.memory.get_window_stats(item, *names)


def install(app: Flask, settings: Settings) -> Limiter | None:
    """Limit every request but the public ones; None (nothing installed) when disabled."""
    if not settings.rate_limit_enabled:
        return None
    limiter = Limiter(settings)
    app.before_request(limiter.check)
    app.after_request(_add_headers)
    app.extensions["gateway.rate_limits"] = limiter
    return limiter


def _pool(settings: Settings) -> Any:
    return redis_from_url(settings.redis_url, **TIMEOUTS).connection_pool


_WHO = {"key": "this key", "sign-in": "this sign-in", "address": "this address"}


def _seconds_left(item: RateLimitItem, reset_at: float) -> int:
    # Whole seconds until the window ends; at least 1, at most the window's length.
    left = int(reset_at + 1 - time.time())
    return min(max(1, left), math.ceil(item.get_expiry()))


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def _add_headers(response: Response) -> Response:
    counted_here: tuple[RateLimitItem, WindowStats] | None = g.get("rate_limit")
    if counted_here is None:  # a public path, or refused before it was counted
        return response
    item, window = counted_here
    response.headers["X-RateLimit-Limit"] = str(item.amount)
    response.headers["X-RateLimit-Remaining"] = str(window.remaining)
    response.headers["X-RateLimit-Reset"] = str(int(window.reset_time + 1))
    return response
