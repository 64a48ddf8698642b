"""The gateway's own data: API keys and people's accounts, roles and tokens, the secrets hashed.

A key is shown once when it is created and never stored: only its public prefix (to find the
row) and a hash of the whole key (to check it) are kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, utcnow

# Named constraints, so later migrations (batch mode on SQLite included) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ApiKey(Base):
    __tablename__ = "gateway_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The name is what services see as X-Sender, so event ids are unique per key name.
    name: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    # SHA-256 hex of the whole key. Keys hold 256 random bits, so guessing one from its hash
    # is hopeless at any hashing speed; slow password hashes exist for low-entropy human
    # passwords and would only add milliseconds to every cache miss on the hot path.
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200))  # space separated, e.g. "events read"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Refreshed at most once a minute, and only when a key's cache entry is renewed.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Limits, space separated, "" for any: the event types the key may post, and the units
    # (each with every unit below it) whose members it may post for. The points service
    # enforces them (it owns the types' rules and the unit tree).
    event_types: Mapped[str] = mapped_column(String(660), default="")
    units: Mapped[str] = mapped_column(String(1300), default="")
    # When the secret was last replaced (gateway/keys.py rotate_key); the name stays.
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    @property
    def active(self) -> bool:
        """Not revoked (an expired key is refused too, but says so: gateway/auth.py)."""
        return self.revoked_at is None


class Account(Base):
    """A person who can sign in: a member of the organisation, named by staff number.

    The points service owns members; the gateway keeps only what signing in needs.
    """

    __tablename__ = "gateway_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(64), unique=True)
    # An argon2id hash in its standard encoded form (algorithm, parameters, salt, hash); None
    # until an admin sets a first password or the person redeems a reset code.
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    must_change: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language the person chose on the pages ("zh_CN", "en"); None: Accept-Language.
    locale: Mapped[str | None] = mapped_column(String(16), default=None)


class Role(Base):
    """One role held by an account, optionally limited to a unit's subtree."""

    __tablename__ = "gateway_roles"
    __table_args__ = (UniqueConstraint("account_id", "role", "unit", name="uq_gateway_roles_held"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("gateway_accounts.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # A unit code: the role holds in that unit and every unit below it. "" for everywhere,
    # not NULL, so the unique constraint also refuses a second organisation-wide grant.
    unit: Mapped[str] = mapped_column(String(64), default="")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Token(Base):
    """A bearer token of a person, stored like an API key: a public prefix and a hash."""

    __tablename__ = "gateway_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("gateway_accounts.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "access" or "refresh"
    # The sign-in this token descends from: signing out revokes the whole family.
    family: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ResetCode(Base):
    """A one-time code an admin hands a person to set a password with; stored hashed."""

    __tablename__ = "gateway_reset_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("gateway_accounts.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AuditRecord(Base):
    """What happened at the front door: sign-ins, failures, password and role changes."""

    __tablename__ = "gateway_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # "member:A001", "key:hr-sync", "cli"
    action: Mapped[str] = mapped_column(String(32))  # "sign-in", "password-change", ...
    subject: Mapped[str] = mapped_column(String(64), default="")  # the staff number acted on
    address: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # "ok", "refused", "throttled"
    detail: Mapped[str] = mapped_column(String(200), default="")
