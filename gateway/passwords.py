"""Passwords: argon2id hashes, the bounds a password must keep, and sign-in behind one seam.

Sign-in is one interface, ``SignIn``: given what the person typed, it answers with their
account or refuses. ``PasswordSignIn`` is the only one today. An organisation's single sign-on
(OIDC) would be a second implementation that checks the provider's ID token instead and maps
its claim to a staff number; everything after "who is this" (tokens, roles, the audit log,
the throttle) stays as it is (docs/architecture.md, "People and sign-in").
"""

from __future__ import annotations

import secrets
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Account

MIN_LENGTH = 10
# Bounded so that a megabyte "password" cannot make every sign-in attempt expensive.
MAX_LENGTH = 128

# argon2-cffi's defaults are the RFC 9106 low-memory profile (argon2id, t=3, 64 MiB).
_HASHER = PasswordHasher()
# Verified when the staff number is unknown, so a refusal takes as long either way.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class SignInRefused(Exception):
    """The credentials do not open this account; one message for every reason, on purpose."""


class PasswordProblem(ValueError):
    """A new password breaks a rule; the message says which."""


def check_rules(password: str) -> str:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise PasswordProblem(f"A password has {MIN_LENGTH} to {MAX_LENGTH} characters.")
    if password.strip() != password:
        raise PasswordProblem("A password must not start or end with spaces.")
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_rules(password))


def verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def one_time_password() -> str:
    """A first password for an admin to hand over; the person must change it."""
    return secrets.token_urlsafe(12)  # 16 characters, 96 random bits


class SignIn(Protocol):
    """Who is signing in: their account, or ``SignInRefused``."""

    def identify(self, session: Session, staff_no: str, secret: str) -> Account: ...


class PasswordSignIn:
    def identify(self, session: Session, staff_no: str, secret: str) -> Account:
        account = session.scalar(select(Account).where(Account.staff_no == staff_no))
        stored = account.password_hash if account is not None else None
        if not verify(stored, secret) or account is None or account.disabled:
            raise SignInRefused
        if needs_rehash(account.password_hash or ""):
            account.password_hash = _HASHER.hash(secret)
        return account
