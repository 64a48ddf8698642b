"""Subscriptions, the outbound events, one delivery per event and target, and every attempt.

A delivery's ``uid`` is what the receiver sees (the ``X-Delivery-Id`` header, an e-mail's
Message-ID): it stays the same through retries and a redelivery, so a receiver that keeps the
ids it has handled drops a second arrival, and the delivery reaches it exactly once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base

WEBHOOK, WECOM, DINGTALK, EMAIL = "webhook", "wecom", "dingtalk", "email"
TARGET_KINDS = (WEBHOOK, WECOM, DINGTALK, EMAIL)
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
STATES = (PENDING, DELIVERED, FAILED)


class Subscription(Base):
    __tablename__ = "points_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    # A URL for the HTTP kinds, an address for e-mail.
    target: Mapped[str] = mapped_column(String(500))
    # The webhook's signing key (made here, shown once) or DingTalk's optional signing secret.
    secret: Mapped[str | None] = mapped_column(String(200))
    events: Mapped[dict[str, Any]]  # {"kinds": [...]}: JSON with a dict at the top
    text_format: Mapped[str] = mapped_column(String(16), default="markdown")
    # Events of members in this unit's subtree only (None: the whole organisation's).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("points_units.id"))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboundEvent(Base):
    __tablename__ = "points_outbound_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    __tablename__ = "points_deliveries"
    __table_args__ = (Index("ix_points_deliveries_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("points_outbound_events.id"), index=True)
    # None for an e-mail straight to a member (a nudge): ``address`` then says where.
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("points_subscriptions.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str | None] = mapped_column(String(254))
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # since the last (re)delivery
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A sender holds the delivery until then, so two sweeps never send it at once.
    leased_until: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    __tablename__ = "points_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("points_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
