"""API keys: their format, scopes and limits, and what is done to them (create, list, rotate,
revoke). The CLI (gateway/cli.py) and the admins' API (gateway/keys_api.py) share these.

A key reads ``lk_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the whole key
is checked against a stored hash. Only the hash is kept, so a key is shown once at creation.

A key may expire (``expires_at``) and may be narrowed to some event types and to some units
(the unit or any unit below it): the gateway passes those limits to the points service in
signed headers, and its intake refuses events outside them. Rotation gives a key a new secret
(so a new prefix) under the same name, so X-Sender, and the event ids deduplicated per sender,
stay what they were.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.models import ApiKey
from services.common.db import utcnow
from services.common.errors import ApiError

SCOPES = ("events", "read", "admin")
ADMIN = "admin"  # implies every other scope but PERSON
# Granted to every signed-in person and never to a key (not one of SCOPES): the routes where
# a person writes their own things (a practice report), which the service checks are theirs.
PERSON = "person"

_KEY = re.compile(r"lk_([0-9a-f]{8})_([A-Za-z0-9_-]{32,128})")
# Names travel to the services as the X-Sender header, so they must be header-safe.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# The points service's own forms of event type names and unit codes (services/points/schemas.py).
TYPE_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
UNIT_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_LIMITS = 20  # event types, or units, one key may be narrowed to (the columns hold this many)

ACTIVE, REVOKED, EXPIRED = "active", "revoked", "expired"


class KeyProblem(ApiError):
    """A key cannot be created or changed as asked; the message says why, ``status`` is the
    HTTP answer it deserves, and ``field`` the request field at fault, if one is."""

    def __init__(self, message: str, status: int = 422, field: str | None = None) -> None:
        self.status = status
        super().__init__(message, errors={"json": {field: [message]}} if field else None)


class Keep(Enum):
    """Rotation leaves the expiry as it was unless given a new one (None: never expires)."""

    EXPIRY = "keep"


def normalise_scopes(scopes: Iterable[str]) -> str:
    """Validated scopes, deduplicated, in the canonical order, space separated."""
    wanted = {scope.strip() for scope in scopes if scope.strip()}
    unknown = sorted(wanted.difference(SCOPES))
    if unknown:
        raise KeyProblem(f"Unknown scope(s) {', '.join(unknown)}; use {', '.join(SCOPES)}.")
    if not wanted:
        raise KeyProblem(f"At least one scope is required: {', '.join(SCOPES)}.")
    return " ".join(scope for scope in SCOPES if scope in wanted)


def grants(scopes: frozenset[str], needed: str) -> bool:
    return needed in scopes or (ADMIN in scopes and needed != PERSON)


def validate_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise KeyProblem(
            f"Invalid key name {name!r}: 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return name


def generate() -> tuple[str, str]:
    """A new (prefix, key); the secret holds 256 random bits."""
    prefix = secrets.token_hex(4)
    return prefix, f"lk_{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(key: str) -> str | None:
    """The lookup prefix of a well-formed key, or None."""
    found = _KEY.fullmatch(key)
    return found.group(1) if found else None


# Compared against when no stored secret matches a lookup, so the time taken tells nothing.
NO_HASH = "0" * 64


def hash_secret(secret: str) -> str:
    """How every random secret the gateway hands out is stored (API keys, people's tokens,
    reset codes). SHA-256, not a slow password hash: the secrets hold 128 bits or more of
    randomness, so there is nothing to guess (see ApiKey.secret_hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_limits(values: Iterable[str], form: re.Pattern[str], what: str) -> str:
    """Validated event types or unit codes, deduplicated and sorted, space separated; "" for
    none, which means any."""
    wanted = sorted({value.strip() for value in values if value.strip()})
    bad = [value for value in wanted if not form.fullmatch(value)]
    if bad:
        raise KeyProblem(f"Invalid {what}: {', '.join(map(repr, bad))}.", field=what)
    if len(wanted) > MAX_LIMITS:
        raise KeyProblem(f"At most {MAX_LIMITS} {what} per key.", field=what)
    return " ".join(wanted)


def status_of(key: ApiKey, now: datetime | None = None) -> str:
    if key.revoked_at is not None:
        return REVOKED
    if key.expires_at is not None and key.expires_at <= (now or utcnow()):
        return EXPIRED
    return ACTIVE


def _future(expires_at: datetime | None) -> datetime | None:
    """An expiry in UTC (a time without a zone is taken as UTC), refused unless it is ahead."""
    if expires_at is None:
        return None
    try:
        moment = expires_at.replace(tzinfo=expires_at.tzinfo or UTC).astimezone(UTC)
    except OverflowError as exc:  # year 9999 at a negative offset, say
        raise KeyProblem("The expiry is out of range.", field="expires_at") from exc
    if moment <= utcnow():
        raise KeyProblem("The expiry must be in the future.", field="expires_at")
    return moment


def _limited(scopes: str, event_types: str, units: str) -> None:
    # An admin key could make itself an unlimited key (or post adjustments anywhere), so a
    # limit on it would promise what it cannot keep.
    if ADMIN in scopes.split() and (event_types or units):
        raise KeyProblem(
            "An admin key cannot be limited to event types or units; give it 'events'.",
            field="scopes",
        )


def create_key(
    session: Session,
    name: str,
    scopes: Iterable[str],
    *,
    expires_at: datetime | None = None,
    event_types: Iterable[str] = (),
    units: Iterable[str] = (),
) -> str:
    """Store a new key and return it in full; it cannot be recovered afterwards."""
    validate_name(name)
    row = ApiKey(
        name=name,
        scopes=normalise_scopes(scopes),
        expires_at=_future(expires_at),
        event_types=normalise_limits(event_types, TYPE_NAME, "event_types"),
        units=normalise_limits(units, UNIT_CODE, "units"),
    )
    _limited(row.scopes, row.event_types, row.units)
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise KeyProblem(
            f"A key named {name!r} already exists (revoked keys keep their names); pick another.",
            409,
        )
    key = _new_secret(row)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create took the name (or, in theory, prefix)
        raise KeyProblem(f"A key named {name!r} already exists.", 409) from exc
    return key


def _new_secret(row: ApiKey) -> str:
    prefix, key = generate()
    row.prefix, row.secret_hash = prefix, hash_secret(key)
    return key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.name)))


def find_key(session: Session, name: str) -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise KeyProblem(f"No key named {name!r}.", 404)
    return key


def rotate_key(
    session: Session, name: str, expires_at: datetime | None | Keep = Keep.EXPIRY
) -> tuple[ApiKey, str, str]:
    """A new secret for the key ``name`` (name, scopes and limits unchanged; a new expiry if
    given): the row, the old prefix (to forget in caches) and the new key, shown once."""
    row = find_key(session, name)
    if row.revoked_at is not None:
        raise KeyProblem(f"Key {name!r} is revoked; a revoked key stays revoked.", 409)
    if not isinstance(expires_at, Keep):
        row.expires_at = _future(expires_at)
    elif status_of(row) == EXPIRED:
        raise KeyProblem(
            f"Key {name!r} has expired; give a new expires_at (or null) to renew it.",
            field="expires_at",
        )
    old_prefix = row.prefix
    key = _new_secret(row)
    row.rotated_at = utcnow()
    session.flush()
    return row, old_prefix, key


def revoke_key(session: Session, name: str) -> tuple[str, bool]:
    """Revoke a key by name; returns its prefix and whether it was active until now."""
    key = find_key(session, name)
    was_active = key.revoked_at is None
    if was_active:
        key.revoked_at = utcnow()
    return key.prefix, was_active
