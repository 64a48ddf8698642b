"""The gateway's own data: API keys, stored hashed.

A key is shown once when it is created and never stored: only its public prefix (to find the
row) and a hash of the whole key (to check it) are kept.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, MetaData, String
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

    @property
    def active(self) -> bool:
        return self.revoked_at is None
