"""What crosses the delivery API's HTTP boundary."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.points.delivery.models import DINGTALK, EMAIL, STATES, TARGET_KINDS, WEBHOOK
from services.points.delivery.outbox import EVENT_KINDS
from services.points.schemas import CODE, ISO_DATETIME, OFFSET, JsonBoolean, StrictSchema

FORMATS = ("markdown", "text")
_URL = fields.Url(schemes={"http", "https"}, require_tld=False)
_EMAIL = fields.Email()


def check_target(kind: str, target: str) -> None:
    """A URL for the HTTP kinds, an e-mail address for ``email`` (422 on ``target``)."""
    try:
        (_EMAIL if kind == EMAIL else _URL).deserialize(target)
    except ValidationError as exc:
        raise ValidationError(exc.messages, "target") from exc


class SubscriptionSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(required=True, validate=validate.OneOf(TARGET_KINDS))
    target = fields.String(
        required=True,
        validate=validate.Length(min=3, max=500),
        metadata={"description": "The URL to POST to, or (email) the address to write to."},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_KINDS)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_KINDS)),
    )
    text_format = fields.String(load_default="markdown", validate=validate.OneOf(FORMATS))
    unit = fields.String(
        load_default=None,
        allow_none=True,
        validate=CODE,
        metadata={"description": "Only events of members in this unit and below."},
    )
    secret = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "DingTalk's signing secret (optional); no other kind takes one."},
    )
    paused = JsonBoolean(load_default=False)

    @validates_schema(skip_on_field_errors=False)  # a bad target is said beside other errors
    def _target_fits_kind(self, data: dict[str, Any], **_: Any) -> None:
        if "kind" not in data or "target" not in data:
            return  # already refused by its field
        check_target(data["kind"], data["target"])
        if data.get("secret") and data["kind"] != DINGTALK:
            message = "Only a DingTalk robot takes a secret; a webhook's is made for it."
            raise ValidationError(message, "secret")


class SubscriptionChangeSchema(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    target = fields.String(validate=validate.Length(min=3, max=500))
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_KINDS)),
        validate=validate.Length(min=1, max=len(EVENT_KINDS)),
    )
    text_format = fields.String(validate=validate.OneOf(FORMATS))
    paused = JsonBoolean()


class SubscriptionOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    target = fields.String()
    events = fields.List(fields.String())
    text_format = fields.String()
    unit = fields.String(allow_none=True)
    paused = JsonBoolean()
    signed = fields.Boolean(metadata={"description": "Whether a secret signs what is sent."})
    secret = fields.String(
        metadata={"description": f"A {WEBHOOK}'s signing secret: in the answer to its creation "
                  "only, never again."}
    )  # fmt: skip
    created_by = fields.String()
    created_at = ISO_DATETIME


class SubscriptionListSchema(Schema):
    items = fields.List(fields.Nested(SubscriptionOutSchema))


class DeliveryQuerySchema(StrictSchema):
    subscription = fields.Integer(load_default=None, validate=validate.Range(min=1))
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class AttemptSchema(Schema):
    at = ISO_DATETIME
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)


class DeliveryOutSchema(Schema):
    id = fields.Integer()
    delivery_id = fields.String(metadata={"description": "The X-Delivery-Id the receiver sees."})
    kind = fields.String(metadata={"description": "The event's kind."})
    subscription = fields.Integer(allow_none=True)
    address = fields.String(allow_none=True)
    state = fields.String()
    attempts = fields.Integer(metadata={"description": "Since it was last (re)delivered."})
    due_at = ISO_DATETIME
    delivered_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    data = fields.Dict()
    log = fields.List(fields.Nested(AttemptSchema))


class DeliveryPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(DeliveryOutSchema))
