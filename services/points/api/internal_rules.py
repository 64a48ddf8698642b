"""Internal endpoints for the rewards service: a period's events (for what-if previews) and
re-scoring (which writes here, where the ledger is). Never routed by the gateway."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.common.db import current_db, utcnow
from services.common.web import settings
from services.points.api.context import ask_for_projection, rules
from services.points.rules import history
from services.points.rules.rescore import rescore

blp = Blueprint("internal-rules", __name__, url_prefix="/internal/v1/rules", description="Internal")


class _Period(Schema):
    start = fields.Date(required=True, data_key="from")
    end = fields.Date(required=True, data_key="to")

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data["end"] < data["start"]:
            raise ValidationError("Must not be before 'from'.", "to")
        if (data["end"] - data["start"]).days > 400:
            raise ValidationError("At most 400 days at a time.", "to")


class EventsQuery(_Period):
    class Meta:
        unknown = EXCLUDE

    after_id = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=5000, validate=validate.Range(min=1, max=20_000))


class RescoreSchema(_Period):
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    document = fields.Dict(required=True)
    key = fields.String(required=True, validate=validate.Length(1, 128))
    actor = fields.String(required=True, validate=validate.Length(1, 100))


@blp.route("/events")
class PeriodEvents(MethodView):
    @blp.arguments(EventsQuery(), location="query")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """A page of the events of local dates from..to, by id, with what each earned."""
        with current_db().read() as session:
            items = history.events_between(
                session,
                query["start"],
                query["end"],
                settings().org_timezone,
                query["after_id"],
                query["limit"],
            )
        for item in items:
            item["occurred_at"] = item["occurred_at"].isoformat()
            del item["member_id"], item["unit_id"]
        next_after = items[-1]["id"] if len(items) == query["limit"] else None
        return {"items": items, "next_after_id": next_after}


@blp.route("/rescore")
class Rescore(MethodView):
    @blp.arguments(RescoreSchema())
    def post(self, body: dict[str, Any]) -> Response:
        """Re-price the period under a version: compensating entries, badges and counters."""
        book = rules().book()  # later events' versions, to replay up to the live state
        with current_db().write() as session:
            replayed, summary = rescore(
                session,
                version=body["version"],
                document=body["document"],
                book=book,
                start=body["start"],
                end=body["end"],
                key=body["key"],
                actor=body["actor"],
                zone_name=settings().org_timezone,
                now=utcnow(),
            )
        if summary["entries_written"] and not replayed:
            ask_for_projection()
        response = jsonify({**summary, "replayed": replayed})
        response.status_code = 200 if replayed else 201
        return response
