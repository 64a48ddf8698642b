"""Nudges sent (the cool-down reads them) and each member's own opt-out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base


class Nudge(Base):
    __tablename__ = "points_nudges"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # "email" or "subscriptions"
    sent_by: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class NudgePreference(Base):
    __tablename__ = "points_nudge_preferences"

    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
