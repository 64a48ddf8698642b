"""The badges awarded lately: /api/v1/badges/recent (services/points/badges.py)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.db import current_db
from services.points import badges
from services.points.schemas import ISO_DATETIME

blp = Blueprint("badges", __name__, url_prefix="/api/v1/badges", description="Badges")


class RecentQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class BadgeTitleSchema(Schema):
    zh = fields.String()
    en = fields.String()


class RecentBadgeSchema(Schema):
    member = fields.String(required=True, metadata={"description": "The member's staff number."})
    name = fields.String(required=True, metadata={"description": "The member's name."})
    unit = fields.String(required=True, metadata={"description": "The member's unit's code."})
    code = fields.String(required=True, metadata={"description": "The badge's code."})
    title = fields.Nested(BadgeTitleSchema, required=True)
    icon = fields.String(allow_none=True)
    awarded_at = ISO_DATETIME


class RecentBadgesSchema(Schema):
    items = fields.List(fields.Nested(RecentBadgeSchema), required=True)


@blp.route("/recent")
class RecentBadges(MethodView):
    @blp.arguments(RecentQuery(), location="query")
    @blp.response(200, RecentBadgesSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The latest badges awarded and still held, newest first (members still active)."""
        with current_db().read() as session:
            return {"items": badges.recent(session, query["limit"])}
