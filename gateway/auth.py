"""Who is calling: bearer API keys, checked against a short-lived in-process cache.

Every proxied request is authenticated, so a database read per request would cost more than
the proxying itself. Verified rows are kept for at most ``ttl`` seconds (5 by default): a
revoked key stops working in every process within that time, and at once in the process that
revoked it.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from gateway.keys import grants, hash_key, prefix_of
from gateway.models import ApiKey
from services.common.db import Database, utcnow
from services.common.errors import Forbidden, Unauthorized

log = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 5.0
TOUCH_EVERY = timedelta(minutes=1)
_NO_HASH = "0" * 64  # compared against when the prefix is unknown, so timing tells nothing


@dataclass(frozen=True)
class Caller:
    name: str
    scopes: frozenset[str]
    scope_text: str  # as stored: what services receive in X-Scopes

    def require(self, scope: str) -> None:
        if not grants(self.scopes, scope):
            raise Forbidden(
                f"This request needs the '{scope}' scope; this key has: {self.scope_text}."
            )


@dataclass(frozen=True)
class _Entry:
    expires: float
    secret_hash: str  # _NO_HASH when no key has this prefix
    caller: Caller | None
    revoked: bool
    touch_due: bool


def bearer_key(authorization: str | None) -> str:
    """The key from an ``Authorization: Bearer <key>`` header, or 401."""
    if not authorization:
        raise Unauthorized("An API key is required: send 'Authorization: Bearer <key>'.")
    scheme, _, key = authorization.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("The Authorization header must read 'Bearer <key>'.")
    return key.strip()


class KeyCache:
    def __init__(self, db: Database, ttl: float = KEY_CACHE_SECONDS, max_entries: int = 10_000):
        self.db = db
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}

    def authenticate(self, key: str) -> Caller:
        prefix = prefix_of(key)
        if prefix is None:
            raise Unauthorized("The API key is not valid.")
        now = time.monotonic()
        entry = self._entries.get(prefix)
        fresh = entry is None or entry.expires <= now
        if fresh:
            entry = self._load(prefix, now)
        assert entry is not None
        if not hmac.compare_digest(entry.secret_hash, hash_key(key)) or entry.caller is None:
            raise Unauthorized("The API key is not valid.")
        if entry.revoked:
            raise Unauthorized("The API key has been revoked.")
        if fresh and entry.touch_due:
            self._touch(prefix)
        return entry.caller

    def forget(self, prefix: str) -> None:
        self._entries.pop(prefix, None)

    def _load(self, prefix: str, now: float) -> _Entry:
        with self.db.read() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
        if row is None:
            # Unknown prefixes are cached too, so guessing keys cannot hammer the database.
            entry = _Entry(now + self.ttl, _NO_HASH, None, False, False)
        else:
            caller = Caller(row.name, frozenset(row.scopes.split()), row.scopes)
            last = row.last_used_at
            due = last is None or utcnow() - last >= TOUCH_EVERY
            entry = _Entry(now + self.ttl, row.secret_hash, caller, not row.active, due)
        self._remember(prefix, entry, now)
        return entry

    def _remember(self, prefix: str, entry: _Entry, now: float) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries = {p: e for p, e in self._entries.items() if e.expires > now}
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
        self._entries[prefix] = entry

    def _touch(self, prefix: str) -> None:
        # Bookkeeping only: a busy or failing database must not fail the caller's request.
        try:
            with self.db.write() as session:
                session.execute(
                    update(ApiKey).where(ApiKey.prefix == prefix).values(last_used_at=utcnow())
                )
        except SQLAlchemyError as exc:
            log.warning("could not record key use for prefix %s: %s", prefix, exc)
