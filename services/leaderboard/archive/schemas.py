"""What the archive's read API takes in and gives out: closed periods' final boards and a
member's history over them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.common.calendar import PERIODS as CLOSING
from services.leaderboard.schemas import PageQuerySchema, RowSchema


class ArchiveQuerySchema(PageQuerySchema):
    period = fields.String(
        load_default="all",
        validate=validate.OneOf(CLOSING),
        metadata={"description": "A period that closes (rolling and campaign windows never do)."},
    )


class HistoryQuerySchema(Schema):
    scope = fields.String(load_default="org")
    period = fields.String(
        load_default="week", validate=validate.OneOf(("week", "month", "quarter", "year"))
    )
    category = fields.String(load_default="total")
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class ArchivedBoardSchema(Schema):
    scope = fields.String(required=True)
    period = fields.String(required=True)
    period_key = fields.String(required=True)
    archived_at = fields.String(required=True, metadata={"format": "date-time"})
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(RowSchema), required=True)


class HistoryRowSchema(Schema):
    period_key = fields.String(required=True)
    rank = fields.Integer(allow_none=True)
    points = fields.Integer(required=True)
    total = fields.Integer(required=True)


class HistorySchema(Schema):
    member = fields.String(required=True)
    scope = fields.String(required=True)
    period = fields.String(required=True)
    category = fields.String(required=True)
    limit = fields.Integer(required=True)
    items = fields.List(fields.Nested(HistoryRowSchema), required=True)
