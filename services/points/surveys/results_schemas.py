"""What the results and the trend of a survey look like over HTTP. Shares are percentages
with one decimal, rounded half up; a unit's figures are withheld (null) below the threshold."""

from __future__ import annotations

from marshmallow import Schema, fields

from services.points.schemas import CODE, StrictSchema

WITHHELD = "null while fewer than min_answers answered, so that nobody can be told apart"


class ResultsQuerySchema(StrictSchema):
    unit = fields.String(
        load_default=None,
        validate=CODE,
        metadata={"description": "A unit (with its subtree); none: all the round's units."},
    )


class OptionShareSchema(Schema):
    key = fields.String()
    text = fields.String()
    count = fields.Integer()
    percent = fields.Float()


class QuestionResultSchema(Schema):
    key = fields.String()
    kind = fields.String()
    text = fields.String()
    answered = fields.Integer()
    options = fields.List(fields.Nested(OptionShareSchema))
    favourable_percent = fields.Float(allow_none=True)
    texts = fields.List(fields.String(), metadata={"description": "Free text, sorted."})


class UnitResultSchema(Schema):
    unit = fields.String()
    name = fields.String()
    answers = fields.Integer()
    shown = fields.Boolean()
    favourable = fields.Dict(
        keys=fields.String(),
        values=fields.Float(allow_none=True),
        metadata={"description": WITHHELD},
    )


class ResultsSchema(Schema):
    survey = fields.String()
    number = fields.Integer()
    unit = fields.String(allow_none=True)
    answers = fields.Integer()
    min_answers = fields.Integer()
    shown = fields.Boolean()
    questions = fields.List(fields.Nested(QuestionResultSchema), metadata={"description": WITHHELD})
    units = fields.List(fields.Nested(UnitResultSchema))


class TrendRoundSchema(Schema):
    number = fields.Integer()
    opens_at = fields.DateTime(format="iso")
    closes_at = fields.DateTime(format="iso")
    state = fields.String()
    answers = fields.Integer()
    shown = fields.Boolean()


class TrendQuestionSchema(Schema):
    key = fields.String()
    text = fields.String()
    favourable_percent = fields.List(
        fields.Float(allow_none=True), metadata={"description": "One per round, in order."}
    )


class SurveyTrendSchema(Schema):
    survey = fields.String()
    unit = fields.String(allow_none=True)
    min_answers = fields.Integer()
    rounds = fields.List(fields.Nested(TrendRoundSchema))
    questions = fields.List(fields.Nested(TrendQuestionSchema))
