"""The tables of practice reports. Rubrics are never changed once written (a new version is a
new row); transitions and scores are never updated or deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base


class Rubric(Base):
    """How reviewers score: criteria (code, title, max, weight), bands from the total (0-100)
    to a rating (null: rejected), and whether two reviewers score each report."""

    __tablename__ = "points_report_rubrics"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_points_report_rubrics"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    criteria: Mapped[list[Any]] = mapped_column(JSON)
    bands: Mapped[list[Any]] = mapped_column(JSON)
    reviewers: Mapped[int] = mapped_column(Integer)
    disagreement: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    __tablename__ = "points_reports"
    __table_args__ = (
        Index("ix_points_reports_state_submitted", "state", "submitted_at"),
        Index("ix_points_reports_unit_state", "unit_id", "state"),
        Index("ix_points_reports_submitted", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    # The author's unit when last submitted (at creation before): whose reviewers see it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"))
    state: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    learned_kind: Mapped[str] = mapped_column(String(16))
    learned_ref: Mapped[str | None] = mapped_column(String(128))
    learned_text: Mapped[str] = mapped_column(Text)
    applied: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    links: Mapped[dict[str, Any]]  # {"items": [...]}: JSON with a dict at the top
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("points_report_rubrics.id"))
    # Each submission (and the appeal) opens a new round of scores.
    round: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[str | None] = mapped_column(String(16))
    total: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)  # the last reviewer's comment or reason
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    appealed_at: Mapped[datetime | None]
    appeal_round: Mapped[int | None] = mapped_column(Integer)  # the round the appeal opened
    exemplary_by: Mapped[str | None] = mapped_column(String(100))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    # The award standing for this report: the platform event and the rating it was priced at.
    award_event_id: Mapped[int | None] = mapped_column(ForeignKey("points_events.id"))
    awarded_rating: Mapped[str | None] = mapped_column(String(16))
    near_report_id: Mapped[int | None] = mapped_column(ForeignKey("points_reports.id"))
    near_similarity: Mapped[float | None] = mapped_column(Float)


class Transition(Base):
    __tablename__ = "points_report_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("points_reports.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Score(Base):
    """One reviewer's rubric scores in one round of a report."""

    __tablename__ = "points_report_scores"
    __table_args__ = (
        UniqueConstraint("report_id", "round", "reviewer", name="uq_points_report_scores"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("points_reports.id"))
    round: Mapped[int] = mapped_column(Integer)
    reviewer: Mapped[str] = mapped_column(String(64))
    scores: Mapped[dict[str, Any]]
    total: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Bucket(Base):
    """A report's locality-sensitive hash buckets (services/points/reports/similar.py): reports
    that share a bucket are the candidates compared in full."""

    __tablename__ = "points_report_buckets"
    __table_args__ = (Index("ix_points_report_buckets_bucket", "bucket"),)

    report_id: Mapped[int] = mapped_column(ForeignKey("points_reports.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class Attachment(Base):
    __tablename__ = "points_report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("points_reports.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
