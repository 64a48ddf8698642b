"""API keys: their format, scopes, and the few things done to them (create, list, revoke).

A key reads ``lk_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the whole key
is checked against a stored hash. Only the hash is kept, so a key is shown once at creation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway.models import ApiKey
from services.common.db import utcnow

SCOPES = ("events", "read", "admin")
ADMIN = "admin"  # implies every other scope

_KEY = re.compile(r"lk_([0-9a-f]{8})_([A-Za-z0-9_-]{32,128})")
# Names travel to the services as the X-Sender header, so they must be header-safe.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class KeyProblem(ValueError):
    """A key cannot be created or changed as asked; the message says why."""


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
    return needed in scopes or ADMIN in scopes


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


def create_key(session: Session, name: str, scopes: Iterable[str]) -> str:
    """Store a new key and return it in full; it cannot be recovered afterwards."""
    validate_name(name)
    scope_text = normalise_scopes(scopes)
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise KeyProblem(
            f"A key named {name!r} already exists (revoked keys keep their names); pick another."
        )
    prefix, key = generate()
    session.add(ApiKey(name=name, prefix=prefix, secret_hash=hash_secret(key), scopes=scope_text))
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create took the name (or, in theory, prefix)
        raise KeyProblem(f"A key named {name!r} already exists.") from exc
    return key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.name)))


def revoke_key(session: Session, name: str) -> tuple[str, bool]:
    """Revoke a key by name; returns its prefix and whether it was active until now."""
    key = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise KeyProblem(f"No key named {name!r}.")
    was_active = key.revoked_at is None
    if was_active:
        key.revoked_at = utcnow()
    return key.prefix, was_active
