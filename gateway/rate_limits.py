"""Request rate limits at the door: Flask-Limiter, fixed windows, on the platform's Redis.

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

Counts live in Redis, so every gateway worker shares them, in one round trip a request: the
library's storage, with the count and the window's time to live sent together
(``gateway.rate_window``). Redis failing never fails a request: the limiter then counts in
each worker's memory, with the same limits, and goes back to Redis once it answers again
(``swallow_errors``, ``in_memory_fallback_enabled``).

A breach is the platform's error shape with 429, ``Retry-After`` and a message naming the
limit; every limited answer carries ``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset``.
Those are written here from the limiter's ``current_limit``, as its documentation suggests,
not by its ``headers_enabled``: that also sets ``Retry-After`` on every answer, raised to the
end of the request window, which would turn a 503's "retry in 5 s" or the sign-in throttle's
429 into "retry in a minute".
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, g, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from limits import RateLimitItem

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
SIGNING_IN = frozenset({"auth.sign_in", "auth.refresh", "auth.redeem"})
KEY_PREFIX = "gateway-requests"
# A Redis that hangs must not hold a request for long: past these the limiter counts in memory.
TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


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


@dataclass(frozen=True)
class Limits:
    by_class: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            {
                READ: settings.rate_limit_read,
                WRITE: settings.rate_limit_write,
                EVENTS: settings.rate_limit_events,
                ANONYMOUS: settings.rate_limit_anonymous,
            }
        )

    def for_request(self) -> str:
        return self.by_class[counted().request_class]


def install(app: Flask, settings: Settings) -> Limiter | None:
    """Limit every request but the public ones; None (nothing installed) when disabled."""
    if not settings.rate_limit_enabled:
        return None
    limits = Limits.from_settings(settings)
    limiter = Limiter(
        lambda: counted().key,
        app=app,
        application_limits=[
            ApplicationLimit(
                limits.for_request,
                scope=lambda _endpoint: counted().request_class,
                error_message=lambda: _message(limiter),
            )
        ],
        # The library's storage, in one round trip a request (gateway/rate_window.py), on a
        # pool made with the platform's client settings.
        storage_uri=f"{rate_window.SCHEME}://",
        storage_options={"connection_pool": _pool(settings)},
        strategy="fixed-window",
        key_prefix=KEY_PREFIX,
        headers_enabled=False,  # written by _add_headers, which leaves Retry-After alone
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.exempt(public.blp)
    app.register_error_handler(RateLimitExceeded, _too_many)

    @app.after_request
    def rate_limit_headers(response: Response) -> Response:
        return _add_headers(limiter, response)

    app.extensions["gateway.rate_limits"] = limiter
    return limiter


def _pool(settings: Settings) -> Any:
    # Typed as Flask-Limiter's storage options are (str | int); the storage takes a pool too.
    return redis_from_url(settings.redis_url, **TIMEOUTS).connection_pool


_WHO = {"key": "this key", "sign-in": "this sign-in", "address": "this address"}


def _message(limiter: Limiter) -> str:
    breached = limiter.current_limit
    assert breached is not None  # the limiter asks for the message of the limit it just hit
    wait = _seconds_left(breached.limit, breached.reset_at)
    g.rate_retry_after = wait
    return (
        f"Too many requests for {_WHO[counted().kind]}: at most {breached.limit.amount} per "
        f"{_window(breached.limit)}; try again in {wait} s."
    )


def _seconds_left(item: RateLimitItem, reset_at: int) -> int:
    # Whole seconds, as Flask-Limiter writes Retry-After from the same reset time; at least 1.
    left = int(reset_at - time.time())
    return min(max(1, left), math.ceil(item.get_expiry()))


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def _too_many(exc: RateLimitExceeded) -> Response:
    wait = g.get("rate_retry_after") or 1
    return json_error(429, exc.description, headers={"Retry-After": str(wait)})


def _add_headers(limiter: Limiter, response: Response) -> Response:
    limit = limiter.current_limit
    if limit is None:  # a public path, or no limit applied
        return response
    try:
        reset_at, remaining = limit.reset_at, limit.remaining
    except Exception as exc:  # Redis failed after the check: the answer matters more
        log.warning("rate limit headers left out: %s", exc)
        return response
    response.headers["X-RateLimit-Limit"] = str(limit.limit.amount)
    response.headers["X-RateLimit-Remaining"] = str(remaining)
    response.headers["X-RateLimit-Reset"] = str(reset_at)
    return response
