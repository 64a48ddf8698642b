"""What the leaderboard's read API takes in and gives out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.contracts import RemainingTodaySchema
from services.leaderboard.keys import CATEGORY_RE, QUERY_SCOPE_RE, TOTAL, UNIT_CODE_RE
from services.leaderboard.periods import MAX_RANGE, PERIODS
from services.leaderboard.reads.teams import METRICS


class BoardQuerySchema(Schema):
    scope = fields.String(
        load_default="org",
        validate=validate.Regexp(
            QUERY_SCOPE_RE, error="Must be 'org', 'unit:<code>' or 'group:<code>'."
        ),
        metadata={"description": "`org`, `unit:<code>` (any depth) or `group:<code>`."},
    )
    period = fields.String(
        load_default="all",
        validate=validate.OneOf(PERIODS),
        metadata={
            "description": "all, year, quarter, month, week, day (the one containing `at`); "
            "last7, last30 (ending on `at`); range (`from`..`to`, a campaign window)."
        },
    )
    category = fields.String(
        load_default=TOTAL,
        validate=validate.Regexp(
            CATEGORY_RE, error="Must be 1 to 32 lower-case letters or underscores."
        ),
        metadata={"description": "`total` or an entry category (`quiz`, `attendance`, ...)."},
    )
    at = fields.Date(
        load_default=None,
        metadata={"description": "A local date; default today in the organisation's zone."},
    )
    start = fields.Date(data_key="from", load_default=None, metadata={"description": "range"})
    end = fields.Date(data_key="to", load_default=None, metadata={"description": "range"})

    @validates_schema
    def _range(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("period") != "range":
            return
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            raise ValidationError("A range needs `from` and `to`.", "from")
        if start > end or end - start > MAX_RANGE - timedelta(days=1):
            raise ValidationError(f"Needs from <= to, at most {MAX_RANGE.days} days.", "to")


class PageQuerySchema(BoardQuerySchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))


class AroundQuerySchema(BoardQuerySchema):
    span = fields.Integer(load_default=3, validate=validate.Range(min=0, max=50))


MAX_COMPARED = 20  # each name compared is one read of its own: a list has a ceiling, like a page


class CompareQuerySchema(BoardQuerySchema):
    members = fields.List(
        fields.String(validate=validate.Length(1, 64)),
        load_default=list,
        validate=validate.Length(max=MAX_COMPARED),
    )
    units = fields.List(
        fields.String(validate=validate.Regexp(UNIT_CODE_RE, error="Not a unit code.")),
        load_default=list,
        validate=validate.Length(max=MAX_COMPARED),
    )
    by = fields.String(load_default="per_member", validate=validate.OneOf(METRICS))

    @validates_schema
    def _two(self, data: dict[str, Any], **_: Any) -> None:
        if len(data.get("members", [])) + len(data.get("units", [])) < 2:
            raise ValidationError("Name two or more `members`, or two or more `units`.", "members")
        if data.get("members") and data.get("units"):
            raise ValidationError("Compare members or units, not both.", "units")


class TeamQuerySchema(BoardQuerySchema):
    parent = fields.String(
        load_default=None,
        metadata={"description": "The unit whose sub-units compete; default the top level."},
    )
    by = fields.String(load_default="per_member", validate=validate.OneOf(METRICS))


# Every period a member's standings can name (a range needs its own bounds).
STANDING_PERIODS = tuple(p for p in PERIODS if p != "range")


class StandingsQuerySchema(Schema):
    category = fields.String(
        load_default=TOTAL, validate=validate.Regexp(CATEGORY_RE, error="Not a category.")
    )
    at = fields.Date(load_default=None)
    periods = fields.List(
        fields.String(validate=validate.OneOf(STANDING_PERIODS)),
        load_default=lambda: list(STANDING_PERIODS),
        validate=validate.Length(1, len(STANDING_PERIODS)),
        metadata={"description": "Only these periods (repeat it); default: every one."},
    )


class BoardSchema(Schema):
    scope = fields.String(required=True)
    period = fields.String(required=True)
    period_key = fields.String(required=True, metadata={"example": "w2026-W48"})
    category = fields.String(required=True)


class RowSchema(Schema):
    rank = fields.Integer(required=True, metadata={"description": "Ties share a rank."})
    member = fields.String(
        allow_none=True, metadata={"description": "Staff number; null when privacy hides it."}
    )
    name = fields.String(allow_none=True)
    points = fields.Integer(required=True)


class PageSchema(BoardSchema):
    total = fields.Integer(required=True, metadata={"description": "Members on the board."})
    items = fields.List(fields.Nested(RowSchema), required=True)


class StandingSchema(BoardSchema):
    member = fields.String(required=True)
    name = fields.String(allow_none=True)
    points = fields.Integer(required=True, metadata={"description": "0 when not on the board."})
    rank = fields.Integer(allow_none=True, metadata={"description": "null when not on it."})
    total = fields.Integer(required=True)
    percentile = fields.Float(
        allow_none=True,
        metadata={"description": "Share of the other members with fewer points, in percent."},
    )


class NextRankSchema(RowSchema):
    gap = fields.Integer(required=True, metadata={"description": "Points to reach them."})


class CatchUpSchema(StandingSchema):
    next = fields.Nested(
        NextRankSchema,
        allow_none=True,
        metadata={"description": "The closest member with more points; null for a leader."},
    )
    remaining_today = fields.Nested(
        RemainingTodaySchema,
        allow_none=True,
        metadata={
            "description": "What the member can still earn today (the organisation's local day) "
            "under the caps of the rules in force, whatever `at` says; on a category board only "
            "that category's part. null when the points service could not tell."
        },
    )
    remaining_today_unavailable = fields.String(
        allow_none=True,
        metadata={"description": "Why remaining_today is null (points service down, slow...)."},
    )
    message = fields.String(
        required=True,
        metadata={"example": "3 points behind #4; today's quiz can still earn 5"},
    )


class StandingRowSchema(BoardSchema):
    points = fields.Integer(required=True)
    rank = fields.Integer(allow_none=True)
    total = fields.Integer(required=True)
    percentile = fields.Float(allow_none=True)


class StandingsSchema(Schema):
    member = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    items = fields.List(fields.Nested(StandingRowSchema), required=True)


class AroundSchema(PageSchema):
    member = fields.String(required=True)


class UnitRowSchema(Schema):
    unit = fields.String(required=True)
    members = fields.Integer(required=True)
    participants = fields.Integer(required=True)
    points = fields.Integer(required=True)
    per_member = fields.Float(allow_none=True)
    participation = fields.Float(allow_none=True, metadata={"description": "In percent."})
    rank = fields.Integer(required=True)


class MemberStandingSchema(Schema):
    member = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    points = fields.Integer(required=True)
    rank = fields.Integer(allow_none=True)
    total = fields.Integer(required=True)
    percentile = fields.Float(allow_none=True)


class CompareSchema(BoardSchema):
    members = fields.List(fields.Nested(MemberStandingSchema))
    units = fields.List(fields.Nested(UnitRowSchema))


class TeamsSchema(BoardSchema):
    parent = fields.String(allow_none=True)
    by = fields.String(required=True)
    items = fields.List(fields.Nested(UnitRowSchema), required=True)


class TeamGainSchema(Schema):
    rank = fields.Integer(required=True)
    unit = fields.String(required=True)
    gain = fields.Float(required=True)
    now = fields.Nested(UnitRowSchema, required=True)
    before = fields.Nested(UnitRowSchema, required=True)


class TeamsImprovedSchema(Schema):
    period_key = fields.String(required=True)
    previous_period_key = fields.String(required=True)
    by = fields.String(required=True)
    items = fields.List(fields.Nested(TeamGainSchema), required=True)
