"""Endpoints for our own services only; the gateway never routes /internal/.

The leaderboard service drains the projection outbox through these (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.db import current_db
from services.points.ledger import feeds as ledger

blp = Blueprint("internal", __name__, url_prefix="/internal/v1", description="Internal")


class _Query(Schema):
    class Meta:
        unknown = EXCLUDE


class OutboxQuery(_Query):
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10_000))


class AckSchema(Schema):
    ids = fields.List(fields.Integer(), required=True, validate=validate.Length(max=10_000))


class SettledSumsQuery(_Query):
    after_id = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100_000, validate=validate.Range(min=1, max=200_000))
    from_date = fields.Date(load_default=None)
    to_date = fields.Date(load_default=None)


class DirectoryQuery(_Query):
    after = fields.String(load_default="")
    limit = fields.Integer(load_default=10_000, validate=validate.Range(min=1, max=50_000))


@blp.route("/outbox")
class Outbox(MethodView):
    @blp.arguments(OutboxQuery, location="query")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Ledger entries not yet projected, oldest first."""
        with current_db().read() as session:
            return {"items": ledger.outbox_page(session, query["limit"])}


@blp.route("/outbox/ack")
class OutboxAck(MethodView):
    @blp.arguments(AckSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Mark outbox rows as projected (deletes them; acknowledging twice is harmless)."""
        with current_db().write() as session:
            return {"deleted": ledger.acknowledge(session, body["ids"])}


@blp.route("/ledger/settled-sums")
class SettledSums(MethodView):
    @blp.arguments(SettledSumsQuery, location="query")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Entries not in the outbox, by id, summed per unit, category, day and member, for
        rebuilding and verifying leaderboards."""
        with current_db().read() as session:
            return ledger.settled_sums_page(session, **query)


@blp.route("/members/directory")
class Directory(MethodView):
    @blp.arguments(DirectoryQuery, location="query")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Every member's display name, state and current unit path, by staff number."""
        with current_db().read() as session:
            return ledger.directory_page(session, query["after"], query["limit"])


@blp.route("/members/<staff_no>/placement")
class Placement(MethodView):
    def get(self, staff_no: str) -> dict[str, Any]:
        """One member's name, state and current unit path (for the leaderboard's mirror)."""
        with current_db().read() as session:
            return ledger.placement(session, staff_no)
