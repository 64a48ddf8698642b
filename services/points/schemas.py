"""What crosses the points service's HTTP boundary, validated with marshmallow."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

# Anchored with \Z, not $: Regexp matches with re.match, and Python's $ also matches before a
# trailing newline, so "north\n" would pass as a unit code.
CODE = validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z", error="Use 1-64 letters, digits, '-' or '_'.")
STAFF_NO = validate.Regexp(r"^[A-Za-z0-9_.-]{1,64}\Z", error="Use 1-64 letters, digits, '.-_'.")
TYPE_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}\Z", error="Use a lower-case name like 'quiz'.")
NAME = validate.Length(min=1, max=200)
# Offsets are 64-bit integers in the databases: the document says so, rather than a 422 later.
OFFSET = validate.Range(min=0, max=2**63 - 1)


class JsonBoolean(fields.Boolean):
    """JSON's true or false only: the document says boolean, so 0, 1 or "yes" are refused."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


# --- organisation -------------------------------------------------------------------------


class UnitSchema(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=NAME)
    parent = fields.String(load_default=None, allow_none=True, validate=CODE)


class UnitPatchSchema(StrictSchema):
    name = fields.String(validate=NAME)
    parent = fields.String(allow_none=True, validate=CODE)


class MemberSchema(StrictSchema):
    staff_no = fields.String(required=True, validate=STAFF_NO)
    name = fields.String(required=True, validate=NAME)
    unit = fields.String(required=True, validate=CODE)
    active = JsonBoolean(load_default=True)


class MemberPatchSchema(StrictSchema):
    name = fields.String(validate=NAME)
    unit = fields.String(validate=CODE)
    active = JsonBoolean()


class MemberQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    unit = fields.String(load_default=None, validate=CODE)
    active = fields.Boolean(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class PageQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class UnitOutSchema(Schema):
    code = fields.String()
    name = fields.String()
    parent = fields.String(allow_none=True)


class MemberOutSchema(Schema):
    staff_no = fields.String()
    name = fields.String()
    unit = fields.String()
    active = fields.Boolean()
    leader = fields.Boolean(metadata={"description": "A leader of their unit."})


class MemberPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(MemberOutSchema))


# --- events -------------------------------------------------------------------------------

ATTENDANCE_STATUSES = ("on_time", "late", "absent", "excused")


class AttendanceData(StrictSchema):
    # Optional: for a session the platform keeps, intake derives it from the time (on time up
    # to the start plus the grace, late after it); an ad hoc session needs it.
    status = fields.String(validate=validate.OneOf(ATTENDANCE_STATUSES))
    session = fields.String(required=True, validate=validate.Length(min=1, max=128))


class QuizData(StrictSchema):
    quiz = fields.String(required=True, validate=validate.Length(min=1, max=128))
    score = fields.Float(required=True, validate=validate.Range(min=0, max=1_000_000))
    # Optional: an event naming a kept quiz gets the quiz's maximum (services/points/quizzes/
    # checker.py); one naming a quiz not kept must send it, since the pricing needs it.
    max_score = fields.Float(validate=validate.Range(min=0, max=1_000_000, min_inclusive=False))

    @validates_schema
    def _score_within_max(self, data: dict[str, Any], **_: Any) -> None:
        if "score" in data and "max_score" in data and data["score"] > data["max_score"]:
            raise ValidationError("Must not exceed max_score.", "score")


class PracticeReportData(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    rating = fields.String(required=True, validate=validate.Length(min=1, max=16))
    summary = fields.String(validate=validate.Length(max=5000))


# Built-in event types have a fixed data shape; types an admin adds take any small object.
DATA_SCHEMAS: dict[str, type[Schema]] = {
    "attendance": AttendanceData,
    "quiz": QuizData,
    "practice_report": PracticeReportData,
}
# One instance each, made once: building a schema per event was a third of validation time.
_DATA_LOADERS = {name: schema() for name, schema in DATA_SCHEMAS.items()}


def _finite_json(value: Any, depth: int = 0) -> bool:
    if depth > 5:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return len(value) <= 50 and all(_finite_json(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return len(value) <= 50 and all(_finite_json(v, depth + 1) for v in value)
    return True


class EventSchema(StrictSchema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    type = fields.String(required=True, validate=TYPE_NAME)
    member = fields.String(required=True, validate=STAFF_NO)
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    data = fields.Dict(keys=fields.String(validate=validate.Length(max=64)), load_default=dict)

    @validates_schema
    def _data_fits_type(self, event: dict[str, Any], **_: Any) -> None:
        schema = DATA_SCHEMAS.get(event.get("type", ""))
        if schema is None:
            if not _finite_json(event.get("data", {})):
                raise ValidationError("Keep custom data small, shallow and finite.", "data")
            return
        try:
            event["data"] = _DATA_LOADERS[event["type"]].load(event.get("data", {}))
        except ValidationError as exc:
            raise ValidationError(exc.messages, "data") from exc


# Views are built as plain dicts with ISO strings already (intake answers skip a dump pass).
ISO_DATETIME = fields.String(metadata={"format": "date-time"})


class EventOutSchema(Schema):
    id = fields.String(attribute="external_id")
    type = fields.String()
    member = fields.String()
    occurred_at = ISO_DATETIME
    data = fields.Dict()
    received_at = ISO_DATETIME


class EntryOutSchema(Schema):
    id = fields.Integer()
    member = fields.String()
    category = fields.String()
    points = fields.Integer()
    reason = fields.String(
        metadata={"description": "What it earned and why, in English: the record."}
    )
    explanation = fields.String(
        metadata={
            "description": "The same in the reader's language (Accept-Language: zh-CN, the "
            "default, or en), rendered from ``detail``; the reason for entries from before."
        }
    )
    rule_version = fields.Integer(allow_none=True)
    detail = fields.Dict()
    event_id = fields.String(allow_none=True)
    occurred_at = ISO_DATETIME
    local_date = fields.String(metadata={"format": "date"})


class IntakeResultSchema(Schema):
    event = fields.Nested(EventOutSchema)
    entries = fields.List(fields.Nested(EntryOutSchema))
    duplicate = fields.Boolean()


class EntryPageSchema(Schema):
    member = fields.String()
    total_points = fields.Integer()
    total = fields.Integer()
    items = fields.List(fields.Nested(EntryOutSchema))
