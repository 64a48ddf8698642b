"""What crosses the HTTP boundary for surveys. Round times are ISO 8601: with an offset, or
without one for the organisation's local time (ORG_TIMEZONE); answers give them in UTC."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.points.schemas import CODE, NAME, StrictSchema
from services.points.surveys.questions import AGREE, KINDS, MULTIPLE, SCALE, SINGLE, TEXT
from services.points.surveys.rounds import REPEATS

KEY = validate.Regexp(r"^[a-z0-9_-]{1,32}\Z", error="Use 1-32 lower-case letters, digits, -, _.")
TEXT_LENGTH = validate.Length(min=1, max=500)
STATES = ("upcoming", "open", "closed")


class OptionSchema(StrictSchema):
    key = fields.String(required=True, validate=KEY)
    text = fields.String(required=True, validate=TEXT_LENGTH)


class QuestionSchema(StrictSchema):
    key = fields.String(required=True, validate=KEY)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True, validate=TEXT_LENGTH)
    options = fields.List(
        fields.Nested(OptionSchema),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "For choices; on the agree scale, labels for 1-5 (or its own)."},
    )
    favourable = fields.List(
        fields.String(validate=KEY),
        load_default=None,
        metadata={"description": "Option keys that count as favourable (agree: 4 and 5)."},
    )

    @validates_schema
    def _options_fit_the_kind(self, data: dict[str, Any], **_: Any) -> None:
        kind, options = data.get("kind"), data.get("options", [])
        keys = [o["key"] for o in options]
        if kind in (SINGLE, MULTIPLE) and (len(keys) < 2 or len(set(keys)) != len(keys)):
            raise ValidationError("Give at least two options with different keys.", "options")
        if kind == TEXT and options:
            raise ValidationError("Free text takes no options.", "options")
        if kind == AGREE and options and keys != [k for k, _ in SCALE]:
            raise ValidationError("The agree scale's options are keyed 1 to 5.", "options")
        allowed = {AGREE: [k for k, _ in SCALE], TEXT: []}.get(str(kind), keys)
        if any(key not in allowed for key in data.get("favourable") or []):
            raise ValidationError("Name only options of this question.", "favourable")


class SurveyCreateSchema(StrictSchema):
    id = fields.String(required=True, validate=CODE)
    title = fields.String(required=True, validate=NAME)
    questions = fields.List(
        fields.Nested(QuestionSchema), required=True, validate=validate.Length(min=1, max=50)
    )

    @validates_schema
    def _keys_differ(self, data: dict[str, Any], **_: Any) -> None:
        keys = [q["key"] for q in data.get("questions", [])]
        if len(set(keys)) != len(keys):
            raise ValidationError("Each question needs a key of its own.", "questions")


class QuestionOutSchema(Schema):
    key = fields.String()
    kind = fields.String()
    text = fields.String()
    options = fields.List(fields.Nested(OptionSchema))
    favourable = fields.List(fields.String())


class TemplateSchema(Schema):
    title = fields.String()
    questions = fields.List(fields.Nested(QuestionOutSchema))


class RoundCreateSchema(StrictSchema):
    units = fields.List(
        fields.String(validate=CODE), required=True, validate=validate.Length(min=1, max=100)
    )
    # Naive values are the organisation's local time: the store makes them aware.
    opens_at = fields.DateTime(required=True, format="iso")
    closes_at = fields.DateTime(required=True, format="iso")
    repeat = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(REPEATS))


class RoundOutSchema(Schema):
    survey = fields.String()
    number = fields.Integer()
    opens_at = fields.DateTime(format="iso")
    closes_at = fields.DateTime(format="iso")
    closed_at = fields.DateTime(format="iso", allow_none=True)
    repeat = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "upcoming, open or closed"})
    units = fields.List(fields.String())


class SurveyOutSchema(Schema):
    id = fields.String()
    title = fields.String()
    questions = fields.List(fields.Nested(QuestionOutSchema))
    created_by = fields.String()
    created_at = fields.DateTime(format="iso")
    rounds = fields.List(fields.Nested(RoundOutSchema))


class SurveyListSchema(Schema):
    items = fields.List(fields.Nested(SurveyOutSchema))


class OpenRoundSchema(RoundOutSchema):
    title = fields.String()
    questions = fields.List(fields.Nested(QuestionOutSchema))
    answered = fields.Boolean()


class OpenRoundsSchema(Schema):
    items = fields.List(fields.Nested(OpenRoundSchema))


class AnswersSchema(StrictSchema):
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "question key -> option key, [option keys], 1-5 or text"},
    )


class AnsweredSchema(Schema):
    survey = fields.String()
    number = fields.Integer()
    answered = fields.Boolean()
