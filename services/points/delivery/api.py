"""Subscriptions and the delivery log over HTTP (docs/delivery.md)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.common.web import ID
from services.points import org
from services.points.api.context import sender
from services.points.delivery import log, subscriptions
from services.points.delivery.schemas import (
    DeliveryOutSchema,
    DeliveryPageSchema,
    DeliveryQuerySchema,
    SubscriptionChangeSchema,
    SubscriptionListSchema,
    SubscriptionOutSchema,
    SubscriptionSchema,
)

blp = Blueprint(
    "delivery",
    __name__,
    url_prefix="/api/v1",
    description="Outbound delivery: subscriptions to the platform's events, and their log",
)
OUTSIDE = "Outside the units the caller administers."


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.response(200, SubscriptionListSchema)
    def get(self) -> dict[str, Any]:
        """The subscriptions of the units the caller administers."""
        with current_db().read() as session:
            tree = org.unit_codes(session)
            items = [subscriptions.view(s, tree) for s in subscriptions.visible(session)]
            return {"items": items}

    @blp.arguments(SubscriptionSchema())
    @blp.response(201, SubscriptionOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Subscribe a webhook, a WeCom or DingTalk group robot, or an e-mail address to event
        kinds. A webhook's signing secret is in this answer only."""
        with current_db().write() as session:
            return subscriptions.create(session, body, sender())


@blp.route(f"/subscriptions/<{ID}:subscription_id>")
class SubscriptionById(MethodView):
    @blp.response(200, SubscriptionOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def get(self, subscription_id: int) -> dict[str, Any]:
        """One subscription (never its secret)."""
        with current_db().read() as session:
            found = subscriptions.managed(session, subscription_id)
            return subscriptions.view(found, org.unit_codes(session))

    @blp.arguments(SubscriptionChangeSchema())
    @blp.response(200, SubscriptionOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def put(self, changes: dict[str, Any], subscription_id: int) -> dict[str, Any]:
        """Rename, retarget, change the event kinds, or pause (``paused``) and resume it;
        deliveries wait while it is paused."""
        with current_db().write() as session:
            return subscriptions.change(session, subscription_id, changes)

    @blp.response(204)
    @blp.alt_response(403, description=OUTSIDE)
    def delete(self, subscription_id: int) -> None:
        """Delete it; its pending deliveries fail, the log of the others stays."""
        with current_db().write() as session:
            subscriptions.delete(session, subscription_id)


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.arguments(DeliveryQuerySchema(), location="query")
    @blp.response(200, DeliveryPageSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The delivery log, newest first: each delivery with every attempt's status and error."""
        with current_db().read() as session:
            return log.page(session, query)


@blp.route(f"/deliveries/<{ID}:delivery_id>/redeliver")
class Redeliver(MethodView):
    @blp.response(200, DeliveryOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def post(self, delivery_id: int) -> dict[str, Any]:
        """Send it again now, with the same delivery id and a fresh count of attempts."""
        with current_db().write() as session:
            return log.redeliver(session, delivery_id)
