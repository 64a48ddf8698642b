"""What crosses the nudges' HTTP boundary."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.points.schemas import CODE, ISO_DATETIME, STAFF_NO, JsonBoolean, StrictSchema

DAYS = validate.Range(min=1, max=365)


class SilentQuerySchema(StrictSchema):
    unit = fields.String(
        load_default=None,
        validate=CODE,
        metadata={"description": "The unit and everything below it (none: the organisation)."},
    )
    days = fields.Integer(load_default=14, validate=DAYS)


class SilentMemberSchema(Schema):
    staff_no = fields.String()
    name = fields.String()
    unit = fields.String()
    has_email = fields.Boolean()
    opted_out = fields.Boolean()
    last_nudged_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class SilentSchema(Schema):
    unit = fields.String(allow_none=True)
    days = fields.Integer()
    since = ISO_DATETIME
    items = fields.List(fields.Nested(SilentMemberSchema))


class NudgeRequestSchema(StrictSchema):
    staff_nos = fields.List(
        fields.String(validate=STAFF_NO), validate=validate.Length(min=1, max=1000)
    )
    unit = fields.String(validate=CODE)
    days = fields.Integer(load_default=14, validate=DAYS)

    @validates_schema
    def _one_audience(self, data: dict[str, Any], **_: Any) -> None:
        if ("staff_nos" in data) == ("unit" in data):
            raise ValidationError("Name either staff_nos or a unit.", "staff_nos")


class SentSchema(Schema):
    staff_no = fields.String()
    channel = fields.String(metadata={"description": "email or subscriptions"})


class SkippedSchema(Schema):
    staff_no = fields.String()
    reason = fields.String(
        metadata={"description": "inactive, active, opted_out, cooldown or no_channel"}
    )


class LeaderSummarySchema(Schema):
    staff_no = fields.String()
    channel = fields.String(metadata={"description": "email or subscriptions"})
    members = fields.Integer(metadata={"description": "nudged members in the leader's units"})


class NudgeResultSchema(Schema):
    days = fields.Integer()
    sent = fields.List(fields.Nested(SentSchema))
    skipped = fields.List(fields.Nested(SkippedSchema))
    leaders = fields.List(
        fields.Nested(LeaderSummarySchema),
        metadata={"description": "the leaders over the nudged members who were sent a summary"},
    )


class PreferenceSchema(StrictSchema):
    opted_out = JsonBoolean(required=True)


class PreferenceOutSchema(Schema):
    staff_no = fields.String()
    opted_out = fields.Boolean()
