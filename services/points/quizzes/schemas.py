"""What crosses the HTTP boundary for quizzes. Window times are ISO 8601: with an offset, or
without one for the organisation's local time (ORG_TIMEZONE); answers give them in UTC."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracts import GROUPS_PER_REQUEST
from services.points.schemas import (
    CODE,
    ISO_DATETIME,
    NAME,
    OFFSET,
    STAFF_NO,
    JsonBoolean,
    StrictSchema,
)
from services.points.sessions.schemas import GroupCountSchema

QUIZ_CODE = validate.Regexp(
    r"^[A-Za-z0-9_.:-]{1,128}\Z", error="Use 1-128 letters, digits, '.', ':', '-' or '_'."
)
SCORE = validate.Range(min=0, max=1_000_000)
STATES = ("upcoming", "open", "closed", "cancelled")
GROUPS = (
    "Custom groups (the leaderboard's): the quiz is for their members as they are when named; "
    "a later change to a group changes no kept quiz."
)


class _QuizFields(StrictSchema):
    title = fields.String(validate=NAME)
    # Naive values are the organisation's local time: the view makes them aware.
    opens_at = fields.DateTime(format="iso")
    closes_at = fields.DateTime(format="iso")
    max_score = fields.Float(validate=validate.Range(min=0, max=1_000_000, min_inclusive=False))
    pass_mark = fields.Float(validate=SCORE)
    units = fields.List(fields.String(validate=CODE), validate=validate.Length(max=100))
    members = fields.List(fields.String(validate=STAFF_NO), validate=validate.Length(max=1000))
    groups = fields.List(
        fields.String(validate=CODE),
        validate=validate.Length(max=GROUPS_PER_REQUEST),
        metadata={"description": GROUPS},
    )
    pop = JsonBoolean()

    @validates_schema
    def _pass_within_max(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("pass_mark", 0) > data.get("max_score", float("inf")):
            raise ValidationError("Must not exceed max_score.", "pass_mark")


class QuizCreateSchema(_QuizFields):
    id = fields.String(required=True, validate=QUIZ_CODE)
    title = fields.String(required=True, validate=NAME)
    opens_at = fields.DateTime(required=True, format="iso")
    closes_at = fields.DateTime(required=True, format="iso")
    max_score = fields.Float(
        required=True, validate=validate.Range(min=0, max=1_000_000, min_inclusive=False)
    )
    pass_mark = fields.Float(required=True, validate=SCORE)
    units = fields.List(
        fields.String(validate=CODE), load_default=list, validate=validate.Length(max=100)
    )
    members = fields.List(
        fields.String(validate=STAFF_NO), load_default=list, validate=validate.Length(max=1000)
    )
    groups = fields.List(
        fields.String(validate=CODE),
        load_default=list,
        validate=validate.Length(max=GROUPS_PER_REQUEST),
        metadata={"description": GROUPS},
    )
    pop = JsonBoolean(load_default=False)


class QuizPatchSchema(_QuizFields):
    """Any of the fields; only before the quiz opens."""


class QuizQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class QuizOutSchema(Schema):
    id = fields.String()
    title = fields.String()
    opens_at = ISO_DATETIME
    closes_at = ISO_DATETIME
    window = fields.String(metadata={"description": "The window in the organisation's time."})
    max_score = fields.Float()
    pass_mark = fields.Float()
    units = fields.List(fields.String())
    members = fields.List(fields.String(), metadata={"description": "Named directly."})
    groups = fields.List(fields.Nested(GroupCountSchema))
    pop = fields.Boolean()
    state = fields.String(metadata={"enum": list(STATES)})
    created_by = fields.String()
    cancelled_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class QuizPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(QuizOutSchema))


class QuizFiguresQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    unit = fields.String(load_default=None, validate=CODE)


class BucketSchema(Schema):
    from_percent = fields.Integer()
    to_percent = fields.Integer()
    count = fields.Integer()


class QuizFiguresRowSchema(Schema):
    unit = fields.String(allow_none=True, metadata={"description": "null: the whole quiz"})
    invited = fields.Integer()
    took_part = fields.Integer()
    passed = fields.Integer()
    average_score = fields.Float(allow_none=True)
    average_percent = fields.Float(allow_none=True)
    distribution = fields.List(fields.Nested(BucketSchema))


class QuizFiguresSchema(Schema):
    quiz = fields.String()
    max_score = fields.Float()
    pass_mark = fields.Float()
    overall = fields.Nested(QuizFiguresRowSchema)
    units = fields.List(fields.Nested(QuizFiguresRowSchema))


class MemberQuizSchema(Schema):
    quiz = fields.String()
    title = fields.String()
    opens_at = ISO_DATETIME
    attempts = fields.Integer()
    best_score = fields.Float()
    max_score = fields.Float()
    percent = fields.Float()
    passed = fields.Boolean()
    change = fields.Float(
        allow_none=True, metadata={"description": "percent points against the previous quiz"}
    )


class MemberQuizzesSchema(Schema):
    member = fields.String()
    items = fields.List(fields.Nested(MemberQuizSchema))


class MemberQuizzesQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
