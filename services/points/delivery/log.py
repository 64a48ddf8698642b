"""The delivery log: each delivery with its attempts, filtered by subscription and state, and
redelivering one (the same delivery id again: a receiver that already has it drops it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.db import utcnow
from services.common.errors import Forbidden, NotFound
from services.points import org
from services.points.api import unit_access
from services.points.delivery import outbox, subscriptions
from services.points.delivery.models import PENDING, Attempt, Delivery, OutboundEvent


def page(session: Session, query: dict[str, Any]) -> dict[str, Any]:
    if query["subscription"] is not None:
        subscriptions.managed(session, query["subscription"])  # 404 / 403 for another's
    mine = {s.id for s in subscriptions.visible(session)}
    rows = select(Delivery, OutboundEvent).join(
        OutboundEvent, OutboundEvent.id == Delivery.event_id
    )
    if query["subscription"] is not None:
        rows = rows.where(Delivery.subscription_id == query["subscription"])
    if query["state"] is not None:
        rows = rows.where(Delivery.state == query["state"])
    rows = rows.order_by(Delivery.id.desc())
    if unit_access.administers([]):  # the whole organisation's: a page of SQL rows
        total = session.scalar(select(func.count()).select_from(rows.subquery())) or 0
        paged = session.execute(rows.offset(query["offset"]).limit(query["limit"]))
        chosen: list[tuple[Delivery, OutboundEvent]] = [(d, e) for d, e in paged]
    else:  # a subtree's admin: the rows their units reach, which SQL cannot tell apart
        tree = org.unit_codes(session)
        found = [
            (d, e)
            for d, e in session.execute(rows)
            if d.subscription_id in mine or _theirs(tree, d, e)
        ]
        total, chosen = len(found), found[query["offset"] : query["offset"] + query["limit"]]
    logs = _attempts(session, [d.id for d, _ in chosen])
    return {"total": total, "items": [view(d, e, logs.get(d.id, [])) for d, e in chosen]}


def _theirs(tree: org.Tree, delivery: Delivery, event: OutboundEvent) -> bool:
    """An e-mail straight to a member (or one whose subscription was deleted) is the admins'
    of the member's unit named in the event."""
    if delivery.subscription_id is not None:
        return False
    codes = {code: uid for uid, (code, _) in tree.items()}
    unit_id = codes.get(event.payload.get("unit", ""))
    return unit_access.administers(org.unit_path(tree, unit_id) if unit_id else [])


def _attempts(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return found
    for attempt in session.scalars(
        select(Attempt).where(Attempt.delivery_id.in_(ids)).order_by(Attempt.id)
    ):
        found.setdefault(attempt.delivery_id, []).append(
            {
                "at": attempt.at.isoformat(),
                "status_code": attempt.status_code,
                "error": attempt.error,
            }
        )
    return found


def view(delivery: Delivery, event: OutboundEvent, log: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "delivery_id": delivery.uid,
        "kind": event.kind,
        "subscription": delivery.subscription_id,
        "address": delivery.address,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "due_at": delivery.due_at.isoformat(),
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        "data": event.payload,
        "log": log,
    }


def redeliver(session: Session, delivery_id: int) -> dict[str, Any]:
    """Due again now with a fresh count of attempts, whatever its state; its id stays."""
    delivery = session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id}.")
    event = session.get(OutboundEvent, delivery.event_id)
    assert event is not None
    if delivery.subscription_id is not None:
        subscriptions.managed(session, delivery.subscription_id)
    elif delivery.address is None:
        raise Forbidden(f"Delivery {delivery_id}'s subscription was deleted: nowhere to send it.")
    elif not _theirs(org.unit_codes(session), delivery, event):
        raise Forbidden(f"Delivery {delivery_id} is outside the units you administer.")
    delivery.state, delivery.attempts, delivery.leased_until = PENDING, 0, None
    delivery.due_at = utcnow()
    session.info[outbox.RECORDED] = True  # a sweep is asked for after the commit
    return view(delivery, event, _attempts(session, [delivery.id]).get(delivery.id, []))
