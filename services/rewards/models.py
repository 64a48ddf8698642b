"""The rewards service's tables. Stored times are naive UTC (UTCDateTime); migrations own the
schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime

DRAFT = "draft"
PUBLISHED = "published"


class Base(DeclarativeBase):
    # Named constraints, so later migrations can alter them (SQLite's batch mode needs names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class RuleSet(Base):
    """One rule set: a draft, or a published version that never changes afterwards.

    ``version`` is given at publication (1, 2, 3, ... with no gaps), so a ledger entry's
    "rule set v7" always names a published set; drafts have none yet. The set in force at an
    instant is the published one with the latest ``effective_from`` at or before it (the
    highest version on a tie).
    """

    __tablename__ = "rewards_rule_sets"
    __table_args__ = (
        CheckConstraint(f"status IN ('{DRAFT}', '{PUBLISHED}')", name="status"),
        CheckConstraint(
            f"status <> '{PUBLISHED}' OR (version IS NOT NULL AND published_at IS NOT NULL)",
            name="published_has_version",
        ),
        Index("ix_rewards_rule_sets_status_effective_from", "status", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default=PUBLISHED)
    # Plain JSON, not JSONB: the document comes back exactly as it was written (key order too).
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective_from: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The sender the gateway vouches for (X-Sender); None for the seeded default set.
    published_by: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    # Drafts: who wrote it (X-Sender) and when it last changed.
    created_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<RuleSet v{self.version} {self.name!r} {self.status}>"
