"""What crosses the HTTP boundary for exports. Periods are local dates of the organisation,
``from`` and ``to`` both included."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.i18n import LOCALES
from services.points.exports.models import FORMATS, STATES
from services.points.schemas import CODE, StrictSchema

MAX_DAYS = 366  # a year at most: the figures of one inspection, not of all time


class ExportRequestSchema(StrictSchema):
    unit = fields.String(required=True, validate=CODE)
    starts_on = fields.Date(required=True, data_key="from")
    ends_on = fields.Date(required=True, data_key="to")
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    language = fields.String(load_default=LOCALES[0], validate=validate.OneOf(LOCALES))

    @validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts is None or ends is None:
            return
        if ends < starts:
            raise ValidationError("Must not be before 'from'.", "to")
        if (ends - starts).days >= MAX_DAYS:
            raise ValidationError(f"A period of at most {MAX_DAYS} days.", "to")
        if not (2000 <= starts.year and ends.year <= 2100):
            raise ValidationError("Must lie between the years 2000 and 2100.", "from")


class ExportStartedSchema(Schema):
    id = fields.Integer(required=True)


class ExportSchema(Schema):
    id = fields.Integer(required=True)
    unit = fields.String(required=True)
    unit_name = fields.String(required=True)
    starts_on = fields.Date(required=True, data_key="from")
    ends_on = fields.Date(required=True, data_key="to")
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    language = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    progress = fields.Integer(required=True, metadata={"description": "0-100"})
    error = fields.String(allow_none=True)
    requested_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(allow_none=True)
    file = fields.String(
        allow_none=True, metadata={"description": "Where to download the file, once done."}
    )


class ExportListSchema(Schema):
    items = fields.List(fields.Nested(ExportSchema), required=True)
