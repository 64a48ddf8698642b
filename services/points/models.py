"""What happened and what it earned. The ledger is append-only: rows are never updated or
deleted; a correction is a new row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.db import UTCDateTime, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Unit(Base):
    """A node of the organisation tree (region, department, team: any depth)."""

    __tablename__ = "points_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("points_units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Member(Base):
    """A person, known by the organisation's own staff number."""

    __tablename__ = "points_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A leader of their unit: the figures show leaders beside their staff.
    leader: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Contact details from the roster import (services/points/imports); not in the members
    # API, which every member may read.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Event(Base):
    """An event as a sender posted it. (sender, external_id) is the idempotency key."""

    __tablename__ = "points_events"
    __table_args__ = (
        UniqueConstraint("sender", "external_id", name="uq_points_events_sender_id"),
        Index("ix_points_events_type_occurred", "type", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict[str, Any]]
    # sha256 of the event's content: the same id with other content is a conflict, not a replay.
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEntry(Base):
    """One award or deduction, with the event and rule version that priced it."""

    __tablename__ = "points_ledger"
    __table_args__ = (
        # The figures' reads (services/points/analytics): a period's points per member, and
        # who had an entry in it, from the index alone.
        Index("ix_points_ledger_date_member", "local_date", "member_id", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    # The member's unit when the entry was written: points stay where they were earned.
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("points_events.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)
    rule_version: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime]
    # The day of occurred_at in the organisation's time zone, fixed when written.
    local_date: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectionOutbox(Base):
    """Ledger entries not yet applied to the leaderboards (written in the entry's transaction)."""

    __tablename__ = "points_projection_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("points_ledger.id"), unique=True)


class RuleState(Base):
    """The rule engine's counters per member (cap usage, attempts, streak, badge progress).

    Written in the same transaction as the ledger entries they explain, so they never disagree
    with it; keys are described in services.rules.
    """

    __tablename__ = "points_rule_state"

    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


HELD = text("revoked_at IS NULL")


class BadgeAward(Base):
    """A badge a member earned: at most one held per badge and window (the unique index).

    A re-score may revoke a badge the new rules no longer give: the row stays, marked with
    when and by which compensating ledger entry; the badge may be earned again later (a new row).
    """

    __tablename__ = "points_badges"
    __table_args__ = (
        Index(
            "uq_points_badges_held",
            "member_id",
            "code",
            "window",
            unique=True,
            sqlite_where=HELD,
            postgresql_where=HELD,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    window: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[int] = mapped_column(ForeignKey("points_ledger.id"))
    title: Mapped[dict[str, Any]]
    icon: Mapped[str | None] = mapped_column(String(200))
    rule_version: Mapped[int]
    awarded_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_entry_id: Mapped[int | None] = mapped_column(ForeignKey("points_ledger.id"))


class AuditRecord(Base):
    """Who did what by hand (adjustments, re-scores): never updated, never deleted.

    (actor, request_key) makes a retried admin request harmless.
    """

    __tablename__ = "points_audit_log"
    __table_args__ = (UniqueConstraint("actor", "request_key", name="uq_points_audit_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    request_key: Mapped[str | None] = mapped_column(String(128))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("points_members.id"), index=True)
    detail: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The activities keep their tables in their own packages, on this metadata: imported here so
# that wherever the points models are loaded (the app, migrations, the schema check) they are.
from services.points.delivery import models as _delivery  # noqa: E402, F401
from services.points.exports import models as _exports  # noqa: E402, F401
from services.points.nudges import models as _nudges  # noqa: E402, F401
from services.points.quizzes import models as _quizzes  # noqa: E402, F401
from services.points.reports import models as _reports  # noqa: E402, F401
from services.points.sessions import models as _sessions  # noqa: E402, F401
from services.points.surveys import models as _surveys  # noqa: E402, F401
