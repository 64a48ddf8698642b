"""What crosses the HTTP boundary for study sessions. Times in are ISO 8601, with an offset or
without (then local time in the organisation's zone); times out are UTC."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.contracts import GROUPS_PER_REQUEST
from services.points.schemas import CODE, ISO_DATETIME, NAME, OFFSET, STAFF_NO, StrictSchema
from services.points.sessions.timing import MAX_SERIES, WEEKDAYS

STATES = ("scheduled", "cancelled", "closed")
EXCUSE_STATES = ("pending", "approved", "rejected")
DECISIONS = ("approve", "reject")
SHORT = validate.Length(min=1, max=200)
GRACE = validate.Range(min=0, max=24 * 60)
WHEN = "ISO 8601; without an offset, local time in the organisation's zone."


def _sensible(value: date) -> None:
    """Years the platform deals in (so no time zone arithmetic leaves the calendar)."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Must lie between the years 2000 and 2100.")


def _when(**kwargs: Any) -> fields.DateTime:
    return fields.DateTime(format="iso", validate=_sensible, **kwargs)


class ExpectedSchema(StrictSchema):
    units = fields.List(
        fields.String(validate=CODE), load_default=list, validate=validate.Length(max=200)
    )
    members = fields.List(
        fields.String(validate=STAFF_NO), load_default=list, validate=validate.Length(max=2000)
    )
    groups = fields.List(
        fields.String(validate=CODE),
        load_default=list,
        validate=validate.Length(max=GROUPS_PER_REQUEST),
        metadata={
            "description": "Custom groups (the leaderboard's): their members as they are now, "
            "expected as named members; a later change to a group changes no scheduled session."
        },
    )

    @validates_schema
    def _someone(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("units") and not data.get("members") and not data.get("groups"):
            raise ValidationError("Name at least one unit, group or member.", "units")


class _Details(StrictSchema):
    title = fields.String(required=True, validate=NAME)
    place = fields.String(load_default=None, allow_none=True, validate=SHORT)
    link = fields.Url(load_default=None, allow_none=True, validate=validate.Length(max=500))
    lecturer = fields.String(load_default=None, allow_none=True, validate=SHORT)
    grace_minutes = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=GRACE,
        metadata={"description": "Default: SESSION_GRACE_MINUTES."},
    )
    expected = fields.Nested(ExpectedSchema, required=True)


class SessionSchema(_Details):
    starts_at = _when(required=True, metadata={"description": WHEN})
    ends_at = _when(required=True, metadata={"description": WHEN})


class SessionPatchSchema(StrictSchema):
    title = fields.String(validate=NAME)
    place = fields.String(allow_none=True, validate=SHORT)
    link = fields.Url(allow_none=True, validate=validate.Length(max=500))
    lecturer = fields.String(allow_none=True, validate=SHORT)
    grace_minutes = fields.Integer(validate=GRACE)
    expected = fields.Nested(ExpectedSchema)
    starts_at = _when(metadata={"description": WHEN})
    ends_at = _when(metadata={"description": WHEN})


class SeriesSchema(_Details):
    weekday = fields.String(required=True, validate=validate.OneOf(WEEKDAYS))
    time = fields.Time(required=True, format="iso", metadata={"description": "Local time."})
    duration_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=1440))
    first = fields.Date(
        required=True, data_key="from", validate=_sensible, metadata={"description": "Local date."}
    )
    until = fields.Date(
        load_default=None, validate=_sensible, metadata={"description": "Local date, inclusive."}
    )
    count = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_SERIES))

    @validates_schema
    def _one_end(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("until") is None) == (data.get("count") is None):
            raise ValidationError("Give either until or count.", "until")
        until, first = data.get("until"), data.get("first")
        if until is not None and first is not None and until < first:
            raise ValidationError("Must be on or after 'from'.", "until")


class SessionQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    starts_from = _when(load_default=None, data_key="from")
    starts_to = _when(load_default=None, data_key="to")
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    series = fields.Integer(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class GroupCountSchema(Schema):
    code = fields.String()
    count = fields.Integer(metadata={"description": "Members it brought when it was named."})


class ExpectedOutSchema(Schema):
    units = fields.List(fields.String())
    members = fields.List(fields.String(), metadata={"description": "Named directly."})
    groups = fields.List(fields.Nested(GroupCountSchema))


class SessionOutSchema(Schema):
    id = fields.String()
    title = fields.String()
    starts_at = ISO_DATETIME
    ends_at = ISO_DATETIME
    place = fields.String(allow_none=True)
    link = fields.String(allow_none=True)
    lecturer = fields.String(allow_none=True)
    grace_minutes = fields.Integer()
    expected = fields.Nested(ExpectedOutSchema)
    series = fields.Integer(allow_none=True)
    state = fields.String(validate=validate.OneOf(STATES))
    cancelled_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    closed_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class SessionPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(SessionOutSchema))


class SeriesOutSchema(Schema):
    series = fields.Integer()
    items = fields.List(fields.Nested(SessionOutSchema))


class ClosedSchema(Schema):
    session = fields.Nested(SessionOutSchema)
    absent = fields.Integer(metadata={"description": "Absences recorded by this call."})
    excused = fields.Integer(metadata={"description": "Approved excuses recorded by this call."})
    refused = fields.Dict(
        keys=fields.String(), metadata={"description": "Members whose event was refused, why."}
    )


class ExcuseSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DecisionSchema(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ExcuseOutSchema(Schema):
    session = fields.String()
    member = fields.String()
    reason = fields.String()
    state = fields.String(validate=validate.OneOf(EXCUSE_STATES))
    submitted_at = ISO_DATETIME
    decided_by = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    note = fields.String(allow_none=True)


class ExcuseQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    state = fields.String(load_default=None, validate=validate.OneOf(EXCUSE_STATES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class ExcusePageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(ExcuseOutSchema))


class CountsSchema(Schema):
    expected = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    excused = fields.Integer()
    absent = fields.Integer()
    pending = fields.Integer(metadata={"description": "Expected, no record yet (open only)."})
    rate = fields.Float(
        allow_none=True, metadata={"description": "(on_time + late) / expected, 4 places."}
    )


class UnitCountsSchema(CountsSchema):
    unit = fields.String()


class GroupCountsSchema(CountsSchema):
    group = fields.String()


class SessionFiguresSchema(Schema):
    session = fields.String()
    state = fields.String(validate=validate.OneOf(STATES))
    totals = fields.Nested(CountsSchema)
    units = fields.List(fields.Nested(UnitCountsSchema))
    groups = fields.List(
        fields.Nested(GroupCountsSchema),
        metadata={"description": "Per custom group named: the members it brought."},
    )


class MemberSessionSchema(Schema):
    session = fields.String()
    title = fields.String()
    starts_at = ISO_DATETIME
    state = fields.String(validate=validate.OneOf(STATES))
    status = fields.String(allow_none=True)
    excuse = fields.String(allow_none=True)


class MemberSessionsSchema(Schema):
    member = fields.String()
    totals = fields.Nested(CountsSchema)
    total = fields.Integer()
    items = fields.List(fields.Nested(MemberSessionSchema))
