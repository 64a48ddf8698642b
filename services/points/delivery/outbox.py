"""Recording an outbound event in the transaction of the change that causes it.

``record`` adds the event and one pending delivery for each subscription to its kind (paused
or not; for a subscription limited to a unit, only when one of the event's units is in that
unit's subtree); nothing leaves the process here. A delivery is due at once: the request's
commit asks for a sweep (``_committed``), and the ticker's periodic sweep picks up whatever
that missed. Were the change rolled back, the event and its deliveries go with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from flask import current_app, has_app_context
from redis.exceptions import RedisError
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.common.db import utcnow
from services.contracts import request_delivery
from services.points import org
from services.points.delivery.models import Delivery, OutboundEvent, Subscription

BADGE_EARNED = "badge.earned"
REPORT_APPROVED = "report.approved"
REPORT_RETURNED = "report.returned"
SESSION_CLOSED = "session.closed"
NUDGE = "nudge"
# After a nudge, to the leaders over the nudged members (services/points/nudges/summaries.py).
NUDGE_SUMMARY = "nudge.summary"
LEVEL_REACHED = "level.reached"
EVENT_KINDS = (
    BADGE_EARNED, LEVEL_REACHED, REPORT_APPROVED, REPORT_RETURNED, SESSION_CLOSED, NUDGE,
    NUDGE_SUMMARY,
)  # fmt: skip
# Set on a session that recorded deliveries; read after its commit.
RECORDED = "delivery_recorded"


def record(
    session: Session, kind: str, payload: dict[str, Any], units: Iterable[int]
) -> OutboundEvent | None:
    """The event, with a delivery to each subscription that wants it: the organisation's, and
    those of a unit over one of ``units`` (the members' units). None, and nothing written, when
    no subscription wants it: an event is only ever read through its deliveries, and badges
    and closings are recorded on the intake's path."""
    wanted = interested(session, kind, set(units))
    if not wanted:
        return None
    outbound = OutboundEvent(kind=kind, payload=payload, created_at=utcnow())
    session.add(outbound)
    session.flush()
    for subscription in wanted:
        _deliver(session, outbound, subscription_id=subscription.id)
    return outbound


def record_email(
    session: Session, kind: str, payload: dict[str, Any], address: str
) -> OutboundEvent:
    """The event, e-mailed to one address (a nudge to a member who has one)."""
    outbound = OutboundEvent(kind=kind, payload=payload, created_at=utcnow())
    session.add(outbound)
    session.flush()
    _deliver(session, outbound, address=address)
    return outbound


def interested(session: Session, kind: str, units: set[int]) -> list[Subscription]:
    # A paused subscription's deliveries are made too: they wait for it to resume (sweep.py).
    every = session.scalars(select(Subscription).order_by(Subscription.id))
    wanted = [s for s in every if kind in s.events.get("kinds", [])]
    if not any(s.unit_id for s in wanted):
        return wanted
    tree = org.unit_codes(session)
    path = {above for unit_id in units for above in org.above(tree, unit_id)}
    return [s for s in wanted if s.unit_id is None or s.unit_id in path]


def _deliver(
    session: Session,
    outbound: OutboundEvent,
    *,
    subscription_id: int | None = None,
    address: str | None = None,
) -> None:
    session.add(
        Delivery(
            uid=str(uuid.uuid4()),
            event_id=outbound.id,
            subscription_id=subscription_id,
            address=address,
            due_at=outbound.created_at,
        )
    )
    session.info[RECORDED] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """After the commit of a session that recorded deliveries, ask for a sweep, so they leave
    within a moment rather than at the ticker's next one (which still sends them should Redis
    be down now, or the commit happen in a job, outside any app)."""
    if session.info.pop(RECORDED, False) and has_app_context():
        redis = current_app.extensions.get("redis")
        if redis is not None:
            try:
                request_delivery(redis)
            except RedisError:
                pass
