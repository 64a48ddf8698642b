"""The figures API's parameters and answers."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.points.analytics.rates import SORTS
from services.points.schemas import CODE

LONGEST = 366  # days in one period: a year at most, so every read stays bounded


class PeriodQuerySchema(Schema):
    """A unit (none: the whole organisation) and a period of local days, both included
    (default: the 30 days up to today; the view checks the order and the length, defaults
    included)."""

    class Meta:
        unknown = "exclude"

    unit = fields.String(load_default=None, validate=CODE)
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)


class UnitsQuerySchema(PeriodQuerySchema):
    """The units compared: ``unit``'s child units, or every unit ``level`` deep (1: the top)."""

    level = fields.Integer(load_default=None, validate=validate.Range(min=1, max=20))


class ComparisonQuerySchema(UnitsQuerySchema):
    sort = fields.String(load_default=SORTS[0], validate=validate.OneOf(SORTS))


class TrendQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    unit = fields.String(load_default=None, validate=CODE)
    by = fields.String(load_default="week", validate=validate.OneOf(("week", "month")))
    count = fields.Integer(load_default=12, validate=validate.Range(min=1, max=52))


class DriftingQuerySchema(Schema):
    class Meta:
        unknown = "exclude"

    weeks = fields.Integer(load_default=4, validate=validate.Range(min=1, max=26))


def rate() -> fields.Float:
    """A share or an average: null where there is nothing to divide by."""
    return fields.Float(allow_none=True)


class FiguresSchema(Schema):
    """One group's figures for a period (docs/analytics.md defines each)."""

    members = fields.Integer()
    expected = fields.Integer()
    attended = fields.Integer()
    took_quiz = fields.Integer()
    mastered = fields.Integer()
    reported = fields.Integer()
    approved = fields.Integer()
    exemplary = fields.Integer()
    active = fields.Integer()
    points = fields.Integer()
    attendance_rate = rate()
    quiz_rate = rate()
    report_rate = rate()
    activity_rate = rate()
    per_capita_daily = rate()


class SpanSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    days = fields.Integer()


class FunnelSchema(SpanSchema):
    unit = fields.String(allow_none=True)
    all = fields.Nested(FiguresSchema)
    leaders = fields.Nested(FiguresSchema)
    staff = fields.Nested(FiguresSchema)


class UnitFiguresSchema(FiguresSchema):
    unit = fields.String()
    name = fields.String()


class ComparisonSchema(SpanSchema):
    sort = fields.String()
    items = fields.List(fields.Nested(UnitFiguresSchema))


class ImprovedRowSchema(Schema):
    unit = fields.String()
    name = fields.String()
    per_capita_daily = rate()
    per_capita_before = rate()
    change = rate()
    activity_rate = rate()
    activity_before = rate()
    activity_change = rate()


class ImprovedSchema(SpanSchema):
    previous_from = fields.Date()
    previous_to = fields.Date()
    items = fields.List(fields.Nested(ImprovedRowSchema))


class TrendPointSchema(SpanSchema):
    per_capita_daily = rate()
    activity_rate = rate()
    attendance_rate = rate()


class TrendSchema(Schema):
    unit = fields.String(allow_none=True)
    by = fields.String()
    items = fields.List(fields.Nested(TrendPointSchema))


class WeekSchema(Schema):
    from_ = fields.Date(data_key="from", attribute="from")
    to = fields.Date()
    median = rate()


class DriftingUnitSchema(Schema):
    unit = fields.String()
    name = fields.String()
    activity_rates = fields.List(fields.Float(allow_none=True))


class DriftingSchema(Schema):
    weeks = fields.List(fields.Nested(WeekSchema))
    items = fields.List(fields.Nested(DriftingUnitSchema))


class QuizStepSchema(Schema):
    quiz = fields.String()
    title = fields.String()
    opens_at = fields.DateTime(format="iso")
    invited = fields.Integer()
    took_part = fields.Integer()
    participation = rate()
    average_percent = rate()
    participation_change = rate()
    average_change = rate()


class QuizSeriesSchema(SpanSchema):
    unit = fields.String(allow_none=True)
    items = fields.List(fields.Nested(QuizStepSchema))


class LeaderSchema(Schema):
    staff_no = fields.String()
    leader = fields.Boolean()
