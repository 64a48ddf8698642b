"""The leaderboard's own SQL data: configuration (groups, exclusions, privacy) and the archive
of closed periods. Boards themselves live in Redis, as a projection of the points ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Group(Base):
    """A custom group of members ("leading cadres"); an *excluded* group's members are left
    off every board (admins, test accounts, system users)."""

    __tablename__ = "lb_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupMember(Base):
    __tablename__ = "lb_group_members"
    __table_args__ = (UniqueConstraint("group_id", "staff_no", name="uq_lb_group_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("lb_groups.id", ondelete="CASCADE"))
    staff_no: Mapped[str] = mapped_column(String(64), index=True)


class Setting(Base):
    """Organisation settings (``privacy``) and ``config_version``, bumped by every change so
    that the Redis mirror never goes back to an older configuration."""

    __tablename__ = "lb_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Archive(Base):
    """The final standings of one board of a closed period."""

    __tablename__ = "lb_archives"
    __table_args__ = (
        UniqueConstraint("scope", "period_key", "category", name="uq_lb_archive_board"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(16))
    period_key: Mapped[str] = mapped_column(String(16), index=True)
    category: Mapped[str] = mapped_column(String(32))
    members: Mapped[int] = mapped_column(Integer)
    archived_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArchiveRow(Base):
    __tablename__ = "lb_archive_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    archive_id: Mapped[int] = mapped_column(
        ForeignKey("lb_archives.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # order within the board, ties included
    staff_no: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
