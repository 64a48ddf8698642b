"""An export asked for: its unit and period, the format, and how far its job has come.

The row, not the RQ job, is the record: jobs' results expire within minutes, while an export
is listed and downloaded for EXPORT_KEEP_DAYS (``files``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base

FORMATS = ("xlsx", "pdf", "csv")
QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
STATES = (QUEUED, RUNNING, DONE, FAILED, EXPIRED)


class Export(Base):
    __tablename__ = "points_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"), index=True)
    # Local dates of the organisation, both included.
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    format: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default=QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
