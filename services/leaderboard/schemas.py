"""What the leaderboard's API takes in and gives out."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.calendar import PERIODS
from services.leaderboard.keys import CATEGORY_RE, SCOPE_RE, TOTAL


class BoardQuerySchema(Schema):
    scope = fields.String(
        load_default="org",
        validate=validate.Regexp(SCOPE_RE, error="Must be 'org' or 'unit:<code>'."),
        metadata={"description": "`org` or `unit:<code>` (any depth of the tree)."},
    )
    period = fields.String(
        load_default="all",
        validate=validate.OneOf(PERIODS),
        metadata={"description": "Which period board: the one containing `at`."},
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


class PageQuerySchema(BoardQuerySchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class BoardSchema(Schema):
    scope = fields.String(required=True)
    period = fields.String(required=True)
    period_key = fields.String(required=True, metadata={"example": "w2026-W48"})
    category = fields.String(required=True)


class RowSchema(Schema):
    rank = fields.Integer(required=True, metadata={"description": "Ties share a rank."})
    member = fields.String(required=True, metadata={"description": "Staff number."})
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


class RebuildJobSchema(Schema):
    job_id = fields.String(required=True)
