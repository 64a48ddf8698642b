"""What the rewards API takes and gives. The document itself is validated in document.py."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from services.rewards.document.validate import DocumentSchema


class RuleSetCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    document = fields.Nested(DocumentSchema, required=True)
    # An offset is required: a bare local time would be read in whichever zone the server has.
    effective_from = fields.AwareDateTime(
        format="iso",
        metadata={"description": "ISO 8601 with an offset; now when omitted; never in the past."},
    )
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @validates("name")
    def _not_blank(self, value: str, **kwargs: Any) -> None:
        if not value.strip():
            raise ValidationError("Must not be blank.")

    @post_load
    def _strip_name(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["name"] = data["name"].strip()
        return data


class RuleSetSummarySchema(Schema):
    version = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    effective_from = fields.AwareDateTime(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    published_at = fields.AwareDateTime(dump_only=True)
    published_by = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "The X-Sender."}
    )
    notes = fields.String(dump_only=True)


class RuleSetSchema(RuleSetSummarySchema):
    document = fields.Dict(dump_only=True)


class RuleSetListSchema(Schema):
    items = fields.List(fields.Nested(RuleSetSummarySchema), dump_only=True)


class PublishedRuleSetSchema(Schema):
    version = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    effective_from = fields.AwareDateTime(dump_only=True)
    document = fields.Dict(dump_only=True)


class PublishedListSchema(Schema):
    items = fields.List(fields.Nested(PublishedRuleSetSchema), dump_only=True)
