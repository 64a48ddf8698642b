"""A member's profile, manual adjustments of their points, and the audit log."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
)

from services.common.db import current_db, utcnow
from services.common.web import as_built, settings
from services.points import org
from services.points.api import unit_access
from services.points.api.context import ask_for_projection, rules, sender
from services.points.ledger import audit
from services.points.profile import profile
from services.points.schemas import OFFSET, STAFF_NO, TYPE_NAME, EntryOutSchema, StrictSchema

blp = Blueprint(
    "profiles", __name__, url_prefix="/api/v1", description="Profiles, adjustments, audit log"
)


class ProfileSchema(Schema):
    member = fields.String()
    name = fields.String()
    total_points = fields.Integer()
    level = fields.Dict(metadata={"description": "level, title {zh, en}, next level"})
    badges = fields.List(fields.Dict(), metadata={"description": "badges held"})
    revoked_badges = fields.List(
        fields.Dict(), metadata={"description": "badges a re-score took back (history)"}
    )
    streak = fields.Dict(allow_none=True)
    rule_version = fields.Integer()


class AdjustmentSchema(StrictSchema):
    points = fields.Integer(strict=True, required=True, validate=validate.Range(-10_000, 10_000))
    reason = fields.String(required=True, validate=validate.Length(1, 300))
    category = fields.String(load_default="adjustment", validate=TYPE_NAME)
    request_id = fields.String(
        validate=validate.Length(1, 128),
        metadata={"description": "Makes a retry harmless: the same id answers the first result."},
    )

    @validates("points")
    def _not_zero(self, value: int, **_: Any) -> None:
        if value == 0:
            raise ValidationError("Must not be 0: award (positive) or deduct (negative).")

    @validates("reason")
    def _not_blank(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError("A reason is required: members read it.")


class AdjustmentOutSchema(Schema):
    entry = fields.Nested(EntryOutSchema)
    by = fields.String()
    audit_id = fields.Integer()


class AuditRecordSchema(Schema):
    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})
    actor = fields.String(allow_none=True)
    action = fields.String(required=True, metadata={"example": "adjustment"})
    member = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    detail = fields.Dict(allow_none=True)


class AuditPageSchema(Schema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(AuditRecordSchema), required=True)


class AuditQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    member = fields.String(load_default=None, validate=STAFF_NO)
    actor = fields.String(
        load_default=None,
        validate=validate.Regexp(
            r"^[A-Za-z0-9_.:-]{1,100}\Z", error="Use an actor as recorded, like 'member:A001'."
        ),
        metadata={"description": "Only what this actor did, as recorded ('member:A001')."},
    )
    action = fields.String(
        load_default=None, validate=TYPE_NAME, metadata={"example": "adjustment"}
    )
    since = fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={"description": "Only records at or after this time (UTC if no offset)."},
    )
    until = fields.AwareDateTime(
        load_default=None,
        default_timezone=UTC,
        metadata={"description": "Only records before this time (UTC if no offset)."},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)

    @post_load
    def _in_utc(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """Times as stored (UTC): one near the ends of the calendar may have none."""
        for name in ("since", "until"):
            if data[name] is not None:
                try:
                    data[name] = data[name].astimezone(UTC)
                except OverflowError as exc:
                    raise ValidationError("The time is out of range.", name) from exc
        return data


@blp.route("/members/<staff_no>/profile")
class Profile(MethodView):
    @blp.response(200, ProfileSchema)
    def get(self, staff_no: str) -> dict[str, Any]:
        """A member's lifetime points, level, badges and streak."""
        now = utcnow()
        rule = rules().book().at(now)
        with current_db().read() as session:
            unit_access.may_read_member(session, staff_no)
            return profile(session, staff_no, rule, settings().org_timezone, now)


@blp.route("/members/<staff_no>/adjustments")
class Adjustments(MethodView):
    @blp.arguments(AdjustmentSchema())
    @blp.response(201, AdjustmentOutSchema)
    @blp.alt_response(200, schema=AdjustmentOutSchema, description="A retry: the first answer.")
    def post(self, body: dict[str, Any], staff_no: str) -> Response:
        """Award or deduct points by hand, with a mandatory reason; recorded in the audit log."""
        with current_db().write() as session:
            unit_access.may_manage_member(session, org.member_by_staff_no(session, staff_no))
            replayed, answer = audit.adjust(
                session, staff_no, body, sender(), settings().org_timezone, utcnow()
            )
        if not replayed:
            ask_for_projection()
        response = jsonify(answer)
        response.status_code = 200 if replayed else 201
        return response


@blp.route("/audit")
class AuditLog(MethodView):
    @blp.arguments(AuditQuery(), location="query")
    @blp.response(200, AuditPageSchema, description="A page of the audit log.")
    def get(self, query: dict[str, Any]) -> Response:
        """What admins did by hand (adjustments, re-scores), newest first."""
        with current_db().read() as session:
            return as_built(audit.page(session, **query))
