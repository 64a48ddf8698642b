"""Subscriptions: made, changed, paused and deleted by admins. A subscription limited to a unit
is its unit's admins' (and the whole organisation's admins'); one for the whole organisation
is only the latter's. A webhook's secret is made here and shown in the creation's answer only.
"""

from __future__ import annotations

import secrets
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.common.errors import NotFound, Unprocessable
from services.points import org
from services.points.api import unit_access
from services.points.delivery.models import WEBHOOK, Delivery, Subscription
from services.points.delivery.schemas import check_target


def view(subscription: Subscription, tree: org.Tree) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "name": subscription.name,
        "kind": subscription.kind,
        "target": subscription.target,
        "events": list(subscription.events.get("kinds", [])),
        "text_format": subscription.text_format,
        "unit": tree[subscription.unit_id][0] if subscription.unit_id else None,
        "paused": subscription.paused,
        "signed": bool(subscription.secret),
        "created_by": subscription.created_by,
        "created_at": subscription.created_at.isoformat(),
    }


def create(session: Session, body: dict[str, Any], actor: str) -> dict[str, Any]:
    unit_access.may_manage_unit(session, body["unit"], field="unit")
    unit_id = org.unit_by_code(session, body["unit"], field="unit").id if body["unit"] else None
    secret = secrets.token_urlsafe(32) if body["kind"] == WEBHOOK else body["secret"]
    subscription = Subscription(
        name=body["name"],
        kind=body["kind"],
        target=body["target"],
        secret=secret,
        events={"kinds": sorted(set(body["events"]))},
        text_format=body["text_format"],
        unit_id=unit_id,
        paused=body["paused"],
        created_by=actor[:100],
    )
    session.add(subscription)
    session.flush()
    shown = view(subscription, org.unit_codes(session))
    if body["kind"] == WEBHOOK:
        shown["secret"] = secret  # this once: it is never shown again
    return shown


def visible(session: Session) -> list[Subscription]:
    """The subscriptions the caller manages (a system's admin key: all)."""
    tree = org.unit_codes(session)
    rows = session.scalars(select(Subscription).order_by(Subscription.id))
    return [s for s in rows if unit_access.administers(_path(tree, s))]


def managed(session: Session, subscription_id: int) -> Subscription:
    """The subscription, 404 when there is none, 403 when it is outside the caller's units."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None:
        raise NotFound(f"No subscription {subscription_id}.")
    code = org.unit_codes(session)[subscription.unit_id][0] if subscription.unit_id else None
    unit_access.may_manage_unit(session, code)
    return subscription


def change(session: Session, subscription_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    subscription = managed(session, subscription_id)
    if "target" in changes:
        try:
            check_target(subscription.kind, changes["target"])
        except ValidationError as exc:
            raise Unprocessable(errors={"json": {"target": exc.messages}}) from exc
    for name in ("name", "target", "text_format", "paused"):
        if name in changes:
            setattr(subscription, name, changes[name])
    if "events" in changes:
        subscription.events = {"kinds": sorted(set(changes["events"]))}
    session.flush()
    return view(subscription, org.unit_codes(session))


def delete(session: Session, subscription_id: int) -> None:
    """Gone, with its deliveries still pending (they would have nowhere to go); the log of
    those already sent stays, without the subscription's name."""
    subscription = managed(session, subscription_id)
    session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription.id, Delivery.state == "pending")
        .values(state="failed")
    )
    session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription.id)
        .values(subscription_id=None)
    )
    session.delete(subscription)


def _path(tree: org.Tree, subscription: Subscription) -> list[str]:
    return org.unit_path(tree, subscription.unit_id) if subscription.unit_id else []
