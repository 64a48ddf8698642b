"""People's bearer tokens: short-lived access tokens and longer refresh tokens, revocable.

A token reads ``lt_<prefix>_<secret>`` (access) or ``lr_<prefix>_<secret>`` (refresh), stored
like an API key (gateway/keys.py): the prefix finds the row, a SHA-256 of the whole token
checks it, so a token is shown once and never kept. Each sign-in starts a *family*; refreshing
replaces the refresh token with a new one of the same family, and signing out revokes the
family. A refresh token used twice (a copy was stolen, or a client replayed it) revokes its
family, so the thief's copy and the owner's both stop working and the person signs in again.
Tokens are checked against the database on every request, so revocation holds at once in
every gateway worker; people's traffic is small beside the systems' keys, which are cached.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gateway.keys import NO_HASH, hash_secret
from gateway.models import Account, Token
from services.common.db import utcnow

ACCESS, REFRESH = "access", "refresh"
_MARK = {ACCESS: "lt", REFRESH: "lr"}
_TOKEN = re.compile(r"(lt|lr)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


class TokenRefused(Exception):
    """Not a valid, current token of that kind; the message says which."""


@dataclass(frozen=True)
class Lifetimes:
    access: timedelta
    refresh: timedelta


@dataclass(frozen=True)
class Issued:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    refresh_expires_in: int

    def as_json(self) -> dict[str, object]:
        return {
            "token_type": "Bearer",
            "access_token": self.access_token,
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "refresh_expires_in": self.refresh_expires_in,
        }


def is_token(text: str) -> bool:
    return text.startswith(("lt_", "lr_"))


def is_access_token(text: str) -> bool:
    return text.startswith(f"{_MARK[ACCESS]}_")


def _new(
    session: Session, account_id: int, kind: str, family: str, life: timedelta
) -> tuple[str, Token]:
    """A new token (shown once) and its row."""
    prefix = secrets.token_hex(6)
    token = f"{_MARK[kind]}_{prefix}_{secrets.token_urlsafe(32)}"
    row = Token(
        account_id=account_id,
        prefix=prefix,
        secret_hash=hash_secret(token),
        kind=kind,
        family=family,
        expires_at=utcnow() + life,
    )
    session.add(row)
    return token, row


def issue(session: Session, account: Account, life: Lifetimes, family: str | None = None) -> Issued:
    family = family or secrets.token_hex(16)
    return Issued(
        _new(session, account.id, ACCESS, family, life.access)[0],
        _new(session, account.id, REFRESH, family, life.refresh)[0],
        int(life.access.total_seconds()),
        int(life.refresh.total_seconds()),
    )


def issue_access(session: Session, account: Account, life: timedelta) -> tuple[str, datetime]:
    """One access token and no refresh token, in a family of its own (a browser's session,
    gateway/session.py): signing out ends it alone. The token, and when it expires."""
    token, row = _new(session, account.id, ACCESS, secrets.token_hex(16), life)
    return token, row.expires_at


def find(session: Session, token: str, kind: str) -> Token:
    """The row of a token of this kind that is well formed and matches, else refused."""
    found = _TOKEN.fullmatch(token)
    row = None
    if found and found.group(1) == _MARK[kind]:
        row = session.scalar(select(Token).where(Token.prefix == found.group(2)))
    expected = row.secret_hash if row is not None else NO_HASH
    if not hmac.compare_digest(expected, hash_secret(token)) or row is None or row.kind != kind:
        raise TokenRefused(f"The {kind} token is not valid.")
    return row


def current(session: Session, token: str, kind: str, now: datetime | None = None) -> Token:
    row = find(session, token, kind)
    if row.revoked_at is not None:
        raise TokenRefused(f"The {kind} token has been revoked; sign in again.")
    if row.expires_at <= (now or utcnow()):
        raise TokenRefused(f"The {kind} token has expired; refresh it or sign in again.")
    return row


def refresh(session: Session, token: str, life: Lifetimes) -> tuple[Account, Issued]:
    """A new pair for a current refresh token, which is used up; a replay revokes its family."""
    row = find(session, token, REFRESH)
    if row.revoked_at is not None:
        revoke_family(session, row.family)
        raise TokenRefused("The refresh token was used before; sign in again.")
    row = current(session, token, REFRESH)
    account = session.get(Account, row.account_id)
    if account is None or account.disabled:
        raise TokenRefused("The account is disabled.")
    row.revoked_at = utcnow()
    session.execute(
        update(Token)
        .where(Token.family == row.family, Token.kind == ACCESS, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return account, issue(session, account, life, row.family)


def revoke_family(session: Session, family: str) -> None:
    session.execute(
        update(Token)
        .where(Token.family == family, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all(session: Session, account_id: int) -> None:
    """Every token of the account (after a password change or reset)."""
    session.execute(
        update(Token)
        .where(Token.account_id == account_id, Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
