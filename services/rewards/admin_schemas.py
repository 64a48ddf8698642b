"""What the drafts, preview, diff, catalog and re-score endpoints take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.calendar import zone

# Versions are 64-bit integers in the database: the document says so, rather than a 422 later.
VERSION = validate.Range(min=1, max=2**63 - 1)


class DraftSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    document = fields.Dict(
        required=True,
        metadata={"description": "A rule set document (docs/rules.md); may be saved unfinished."},
    )
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class DraftPatchSchema(Schema):
    name = fields.String(validate=validate.Length(1, 100))
    document = fields.Dict()
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class DraftSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    status = fields.String()
    notes = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    created_by = fields.String(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)


class DraftOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    status = fields.String()
    document = fields.Dict()
    notes = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    created_by = fields.String(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)


class DraftListSchema(Schema):
    items = fields.List(fields.Nested(DraftSummarySchema))


class ValidationOutSchema(Schema):
    valid = fields.Boolean()
    errors = fields.Dict(metadata={"description": "Keyed like the document, as a 422 would be."})


class PublishSchema(Schema):
    effective_from = fields.AwareDateTime(
        format="iso", metadata={"description": "ISO 8601 with an offset; now when omitted."}
    )
    effective_local = fields.NaiveDateTime(
        format="iso",
        metadata={"description": "Or a local time in ORG_TIMEZONE, e.g. 2027-03-01T00:00."},
    )

    @validates_schema
    def _one(self, data: dict[str, Any], **_: Any) -> None:
        if "effective_from" in data and "effective_local" in data:
            raise ValidationError("Give effective_from or effective_local, not both.", "_schema")


def effective(body: dict[str, Any], zone_name: str) -> datetime | None:
    """The instant a publish body asks for; a bare local time is read in the org's zone."""
    local: datetime | None = body.get("effective_local")
    if local is not None:
        return local.replace(tzinfo=zone(zone_name))
    instant: datetime | None = body.get("effective_from")
    return instant


class PeriodSchema(Schema):
    start = fields.Date(required=True, data_key="from", metadata={"description": "Local date."})
    end = fields.Date(required=True, data_key="to", metadata={"description": "Local date."})

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data:
            if data["end"] < data["start"]:
                raise ValidationError("Must not be before 'from'.", "to")
            if (data["end"] - data["start"]).days > 400:
                raise ValidationError("At most 400 days at a time.", "to")


class RescoreSchema(PeriodSchema):
    version = fields.Integer(required=True, validate=VERSION)
    request_id = fields.String(
        validate=validate.Length(1, 100),
        metadata={"description": "A retry with the same id answers the first result."},
    )


class DiffQuerySchema(Schema):
    start = fields.Integer(required=True, data_key="from", validate=VERSION)
    end = fields.Integer(required=True, data_key="to", validate=VERSION)


class CatalogQuerySchema(Schema):
    version = fields.Integer(validate=VERSION)


class ChangeSchema(Schema):
    path = fields.String(required=True, metadata={"example": "caps.0.limit"})
    change = fields.String(required=True, validate=validate.OneOf(("added", "removed", "changed")))
    before = fields.Raw(data_key="from", allow_none=True)
    after = fields.Raw(data_key="to", allow_none=True)


class DiffSchema(Schema):
    start = fields.Integer(required=True, data_key="from")
    end = fields.Raw(
        required=True, data_key="to", metadata={"description": "A version or a draft."}
    )
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class CatalogSchema(Schema):
    version = fields.Integer(required=True)
    badges = fields.List(fields.Dict(), required=True)
    levels = fields.List(fields.Dict(), required=True)
    streak = fields.Dict(allow_none=True, required=True)


class RescoreResultSchema(Schema):
    version = fields.Integer()
    start = fields.String(data_key="from", metadata={"format": "date"})
    end = fields.String(data_key="to", metadata={"format": "date"})
    events = fields.Integer()
    events_kept_as_they_are = fields.Integer()
    entries_written = fields.Integer()
    points_change = fields.Integer()
    members_changed = fields.Integer()
    badges_awarded = fields.Integer()
    badges_revoked = fields.Integer()
    badges_repriced = fields.Integer()
    state_changes = fields.Integer()
    replayed = fields.Boolean(metadata={"description": "A retry of the same request id."})


class PreviewSchema(Schema):
    draft = fields.Integer(required=True)
    start = fields.String(required=True, data_key="from", metadata={"format": "date"})
    end = fields.String(required=True, data_key="to", metadata={"format": "date"})
    events = fields.Integer(required=True)
    events_kept_as_they_are = fields.Integer(required=True)
    members = fields.List(fields.Dict(), required=True, metadata={"description": "Per member."})
    units = fields.List(fields.Dict(), required=True)
    totals = fields.Dict(required=True, metadata={"description": "before, after, badges"})
    distribution = fields.Dict(required=True)
    movers = fields.Dict(required=True, metadata={"description": "up, down"})
