"""Study sessions and what the platform keeps about them (docs/architecture.md, "Study
sessions"). A session's public id is ``ss-<id>``: what attendance events name in
``data.session`` and what the stable ids of the platform's own events are built from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base

PREFIX = "ss-"


def public_id(session_id: int) -> str:
    return f"{PREFIX}{session_id}"


def parse_id(text: str) -> int | None:
    """``ss-17`` -> 17; None for any other text (an id the platform never gave)."""
    digits = text[len(PREFIX) :] if text.startswith(PREFIX) else ""
    if not digits.isdigit() or len(digits) > 18 or digits.startswith("0"):
        return None
    return int(digits)


class SessionSeries(Base):
    """Sessions created together by one recurrence (the rule is kept as it was sent)."""

    __tablename__ = "points_session_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StudySession(Base):
    __tablename__ = "points_study_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(500))
    lecturer: Mapped[str | None] = mapped_column(String(200))
    grace_minutes: Mapped[int] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("points_session_series.id"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None] = mapped_column(index=True)


class ExpectedAttendee(Base):
    """Who a session expects: a unit (with everything below it) or one named member.

    A member who came from a custom group (services/points/groups.py: expanded when the session
    was scheduled) carries the group's code; a member named directly has none. The same member
    may have a row of each kind.
    """

    __tablename__ = "points_session_expected"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("points_study_sessions.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("points_units.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("points_members.id"), index=True)
    group_code: Mapped[str | None] = mapped_column(String(64))


class Attendance(Base):
    """A member's record at a session: the attendance event that counts for them now.

    Written with that event (the intake's follow-up); a late sign-in or an approved excuse that
    replaces an ``absent`` points it at the new event, and the ledger gets a compensating entry
    (``SessionCorrection``). ``expected`` is set at closing: who was expected, as then resolved.
    """

    __tablename__ = "points_session_attendance"
    __table_args__ = (Index("ix_points_session_attendance_member", "member_id", "session_id"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("points_study_sessions.id"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[int] = mapped_column(ForeignKey("points_events.id"))
    expected: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionCorrection(Base):
    """The compensating ledger entry that reversed an absence, at most one per absence: the
    key ``correct:<session>:<staff_no>`` is unique."""

    __tablename__ = "points_session_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("points_study_sessions.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"))
    status: Mapped[str] = mapped_column(String(16))
    reversed_event_id: Mapped[int] = mapped_column(ForeignKey("points_events.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("points_ledger.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Excuse(Base):
    """A member's excuse for a session: pending, then approved or rejected by an admin of
    their unit. One per member and session."""

    __tablename__ = "points_session_excuses"
    __table_args__ = (UniqueConstraint("session_id", "member_id", name="uq_points_session_excuse"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("points_study_sessions.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    reason: Mapped[str] = mapped_column(String(2000))
    state: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(2000))
