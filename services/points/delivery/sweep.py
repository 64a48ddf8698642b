"""The job that sends the deliveries due (``sweep``), asked for after each commit that recorded
some and by the ticker every DELIVERY_INTERVAL seconds (services/leaderboard/ticker.py).

Each delivery is leased before it is sent (a conditional update: one sweep wins it), so two
sweeps at once never send it twice; every attempt is logged with its status code and error. A
failed attempt is retried after DELIVERY_BACKOFF_SECONDS, doubled at each further attempt, up
to DELIVERY_ATTEMPTS; then the delivery is ``failed`` until an admin redelivers it. A receiver
may still get a delivery twice (it took it, and the answer was lost): the id header, the same
on every attempt, lets it drop the second.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from services.common.db import Database, utcnow
from services.common.redis_client import redis_from_url
from services.contracts import DELIVERY_PENDING
from services.points.delivery import send, targets
from services.points.delivery.models import (
    DELIVERED,
    EMAIL,
    FAILED,
    PENDING,
    WEBHOOK,
    Attempt,
    Delivery,
    OutboundEvent,
    Subscription,
)
from services.settings import Settings

BATCH = 50


def sweep() -> dict[str, Any]:
    settings = Settings.from_env()
    redis = redis_from_url(settings.redis_url)
    try:
        redis.delete(DELIVERY_PENDING)  # a delivery recorded after this asks for a new sweep
    finally:
        redis.close()
    return sweep_with(settings)


def sweep_with(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Send what is due at ``now`` (default: the clock), a batch at a time."""
    db = Database(settings.database_url("points"), settings.db_lock_timeout)
    sent = failed = 0
    try:
        for _ in range(20):  # a bounded job: the next sweep takes the rest
            claimed = claim(db, now or utcnow(), settings.delivery_timeout)
            for delivery_id in claimed:
                if attempt(db, settings, delivery_id, now):
                    sent += 1
                else:
                    failed += 1
            if len(claimed) < BATCH:
                break
    finally:
        db.dispose()
    return {"status": "ok", "delivered": sent, "failed_attempts": failed}


def claim(db: Database, now: datetime, timeout: int) -> list[int]:
    """Lease the due deliveries (not those of a paused subscription) for this sweep."""
    with db.read() as session:
        due = list(
            session.scalars(
                select(Delivery.id)
                .outerjoin(Subscription, Subscription.id == Delivery.subscription_id)
                .where(
                    Delivery.state == PENDING,
                    Delivery.due_at <= now,
                    or_(Delivery.leased_until.is_(None), Delivery.leased_until < now),
                    or_(Subscription.paused.is_(None), Subscription.paused.is_(False)),
                )
                .order_by(Delivery.due_at, Delivery.id)
                .limit(BATCH)
            )
        )
    won = []
    lease = now + timedelta(seconds=3 * timeout + 30)
    for delivery_id in due:
        with db.write() as session:
            taken = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.state == PENDING,
                    or_(Delivery.leased_until.is_(None), Delivery.leased_until < now),
                )
                .values(leased_until=lease)
            )
            if getattr(taken, "rowcount", 0) == 1:
                won.append(delivery_id)
    return won


def attempt(db: Database, settings: Settings, delivery_id: int, now: datetime | None) -> bool:
    """Send one leased delivery and log the attempt; whether the receiver took it."""
    with db.read() as session:
        delivery = session.get(Delivery, delivery_id)
        assert delivery is not None
        outbound = session.get(OutboundEvent, delivery.event_id)
        assert outbound is not None
        subscription = (
            session.get(Subscription, delivery.subscription_id)
            if delivery.subscription_id
            else None
        )
        event = targets.envelope(
            delivery.uid, outbound.kind, outbound.created_at.isoformat(), outbound.payload
        )
    # Loaded whole, and sent with no transaction open: a slow receiver holds no lock.
    status, error = _send(settings, delivery, subscription, event)
    with db.write() as session:
        _log(session, settings, delivery_id, status, error, now or utcnow())
    return error is None


def _send(
    settings: Settings,
    delivery: Delivery,
    subscription: Subscription | None,
    event: dict[str, Any],
) -> send.Outcome:
    if subscription is None and delivery.address:
        return send.email(settings, targets.email(settings.smtp_from, delivery.address, event))
    if subscription is None:
        return None, "The subscription was deleted."
    if subscription.kind == EMAIL:
        return send.email(settings, targets.email(settings.smtp_from, subscription.target, event))
    if subscription.kind == WEBHOOK:
        post = targets.webhook(subscription.target, subscription.secret or "", event, time.time())
        return send.post(post, settings.delivery_timeout, robot=False)
    post = targets.robot(
        subscription.kind,
        subscription.target,
        subscription.secret,
        subscription.text_format,
        event,
        time.time(),
    )
    return send.post(post, settings.delivery_timeout, robot=True)


def _log(
    session: Session,
    settings: Settings,
    delivery_id: int,
    status: int | None,
    error: str | None,
    now: datetime,
) -> None:
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    assert delivery is not None
    session.add(Attempt(delivery_id=delivery_id, at=now, status_code=status, error=error))
    delivery.attempts += 1
    delivery.leased_until = None
    if error is None:
        delivery.state, delivery.delivered_at = DELIVERED, now
    elif delivery.attempts >= settings.delivery_attempts:
        delivery.state = FAILED
    else:
        wait = settings.delivery_backoff_seconds * 2 ** (delivery.attempts - 1)
        delivery.due_at = now + timedelta(seconds=wait)
