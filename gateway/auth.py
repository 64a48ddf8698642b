"""Who is calling: a system's API key (checked against a short-lived in-process cache) or a
person's access token (gateway/tokens.py, checked against the database on every request), sent
in the Authorization header or, from a browser, in the session cookie (gateway/session.py).

Every proxied request is authenticated, so a database read per request would cost more than
the proxying itself. Verified rows are kept for at most ``ttl`` seconds (5 by default): a
revoked or rotated key stops working in every process within that time, and at once in the
process that revoked or rotated it. A key's expiry is cached with it and checked on every use,
so a key expires on the second, whatever the cache holds.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Request, g
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from gateway import accounts, tokens
from gateway import session as web_session
from gateway.accounts import Held
from gateway.keys import NO_HASH, PERSON, grants, hash_secret, prefix_of
from gateway.models import Account, ApiKey
from services.common.db import Database, utcnow
from services.common.errors import Forbidden, Unauthorized

log = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 5.0
EVENTS = "events"
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    name: str  # what services receive in X-Sender: a key's name, or "member:<staff_no>"
    scopes: frozenset[str]
    scope_text: str  # as stored: what services receive in X-Scopes
    staff_no: str | None = None  # set for a person, None for a system's key
    roles: tuple[Held, ...] = ()
    must_change: bool = False  # a person still on a first or one-time password
    # A key's limits (gateway/keys.py), passed on to the points service; () for any.
    event_types: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    def require(self, scope: str, units: bool = False) -> None:
        """403 unless the caller has ``scope``. On a route marked ``units`` an admin limited
        to a subtree passes too: the service behind keeps them to their units (X-Roles)."""
        if self.staff_no is not None and scope == EVENTS:
            # Events come from systems, with their own event ids; an admin corrects points
            # with an adjustment, which keeps an audit record.
            raise Forbidden("People do not post events; systems do, with an API key.")
        if scope == PERSON and self.staff_no is None:
            raise Forbidden(
                "A signed-in person's own request (the 'person' scope): no key can make it."
            )
        if units and scope == accounts.ADMIN and self.holds(accounts.ADMIN):
            return
        if not grants(self.scopes, scope):
            who = "this key has" if self.staff_no is None else "your roles give"
            raise Forbidden(f"This request needs the '{scope}' scope; {who}: {self.scope_text}.")

    def holds(self, *roles: str) -> bool:
        """Whether the person holds one of ``roles`` (anywhere: any unit limit included)."""
        return any(held.role in roles for held in self.roles)

    @property
    def actor(self) -> str:
        """Who acted, as the audit log names them: "member:A001" or "key:hr-sync"."""
        return self.name if self.staff_no is not None else f"key:{self.name}"

    @property
    def org_admin(self) -> bool:
        """An admin of the whole organisation: an admin key (never limited), or the admin
        role with no unit."""
        if self.staff_no is None:
            return accounts.ADMIN in self.scopes and not (self.event_types or self.units)
        return any(held.role == accounts.ADMIN and not held.unit for held in self.roles)


def person(staff_no: str, roles: tuple[Held, ...], must_change: bool = False) -> Caller:
    """A signed-in member as a caller. Roles map onto the scopes the routing table checks:
    only an organisation-wide admin gets ``admin``; everyone else reads. No person posts
    events (systems do). An admin limited to a subtree keeps ``read``: ``admin`` would open
    the whole organisation; the routes marked ``units`` let them in, and the service keeps
    them to their units. Every person also holds ``person`` (never a key): the routes where
    people write their own things; the services check whose they are (X-Viewer). X-Scopes
    carries the role's scope only."""
    scope = "admin" if any(h.role == accounts.ADMIN and not h.unit for h in roles) else "read"
    scopes = frozenset({scope, PERSON})
    return Caller(f"member:{staff_no}", scopes, scope, staff_no, roles, must_change)


@dataclass(frozen=True)
class _Entry:
    expires: float
    secret_hash: str  # NO_HASH when no key has this prefix
    caller: Caller | None
    revoked: bool
    touch_due: bool
    expires_at: float | None = None  # the key's expiry, Unix time (None: never)


def bearer_key(authorization: str | None) -> str:
    """The key from an ``Authorization: Bearer <key>`` header, or 401."""
    if not authorization:
        raise Unauthorized(
            "An API key or a sign-in token is required: send 'Authorization: Bearer <key>'."
        )
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
        if not hmac.compare_digest(entry.secret_hash, hash_secret(key)) or entry.caller is None:
            raise Unauthorized("The API key is not valid.")
        if entry.revoked:
            raise Unauthorized("The API key has been revoked.")
        if entry.expires_at is not None and entry.expires_at <= time.time():
            raise Unauthorized("The API key has expired.")
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
            entry = _Entry(now + self.ttl, NO_HASH, None, False, False)
        else:
            caller = Caller(
                row.name,
                frozenset(row.scopes.split()),
                row.scopes,
                event_types=tuple(row.event_types.split()),
                units=tuple(row.units.split()),
            )
            last = row.last_used_at
            due = last is None or utcnow() - last >= TOUCH_EVERY
            expires = row.expires_at.timestamp() if row.expires_at else None
            entry = _Entry(now + self.ttl, row.secret_hash, caller, not row.active, due, expires)
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


class People:
    """Access tokens to the people they belong to, read fresh from the database each time, so
    signing out or a password change takes effect at once in every worker."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def authenticate(self, token: str) -> Caller:
        return self.signed_in(token)[0]

    def signed_in(self, token: str) -> tuple[Caller, datetime]:
        """The person and when their token expires."""
        with self.db.read() as session:
            try:
                row = tokens.current(session, token, tokens.ACCESS)
            except tokens.TokenRefused as exc:
                raise Unauthorized(str(exc)) from exc
            account = session.get(Account, row.account_id)
            if account is None or account.disabled:
                raise Unauthorized("The account is disabled.")
            held = accounts.roles_of(session, account.id)
            return person(account.staff_no, held, account.must_change), row.expires_at


class Callers:
    """Who is calling: a key or a person's token in the Authorization header, else a person's
    session cookie (gateway/session.py)."""

    def __init__(self, keys: KeyCache, people: People) -> None:
        self.keys = keys
        self.people = people

    def from_header(self, authorization: str | None) -> Caller:
        secret = bearer_key(authorization)
        if tokens.is_token(secret):
            return self.people.authenticate(secret)
        return self.keys.authenticate(secret)

    def from_request(self, request: Request) -> Caller:
        """The header if there is one (as sent: an empty one is refused, not passed over),
        else the cookie, and then an unsafe request needs the CSRF token of its sign-in.
        The caller's name is kept for the access log (gateway/observe.py)."""
        if "Authorization" in request.headers:
            caller = self.from_header(request.headers["Authorization"])
        else:
            cookie = request.cookies.get(web_session.COOKIE)
            if not cookie:
                return self.from_header(None)  # the usual 401: what to send
            caller, _ = self.session_of(cookie)
            web_session.require_csrf(request)
        g.caller_name = caller.name
        return caller

    def session_of(self, cookie: str) -> tuple[Caller, datetime]:
        """The person a session cookie signs in, and when the sign-in ends."""
        if not tokens.is_access_token(cookie):
            # A key is a system's and goes in the header; a refresh token never leaves the client.
            raise Unauthorized("The session cookie holds a person's sign-in only.")
        return self.people.signed_in(cookie)


def credential(request: Request) -> str:
    """The token or key the request was authenticated with (after ``from_request``)."""
    if "Authorization" in request.headers:
        return request.headers["Authorization"].partition(" ")[2].strip()
    return request.cookies.get(web_session.COOKIE, "")
