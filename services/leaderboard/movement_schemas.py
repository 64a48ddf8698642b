"""What the reads of movement since the period before take in and give out: a board page
with each row's movement, one member's movement, the most improved."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.calendar import PERIODS as STORED
from services.leaderboard.schemas import BoardSchema, PageQuerySchema, PageSchema, RowSchema

# Periods whose board has one of the period before (see reads.movement.rows_moved).
MOVING_PERIODS = tuple(p for p in STORED if p != "all")


class LeaderboardQuerySchema(PageQuerySchema):
    movement = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false"},
        metadata={
            "description": "true: each row also gives `previous_rank` and `rank_change` against "
            "the period before (same scope and category). Only for "
            + ", ".join(MOVING_PERIODS)
            + "; with any other period it is refused (422)."
        },
    )

    @validates_schema
    def _moving(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("movement") and data.get("period") not in MOVING_PERIODS:
            raise ValidationError(
                f"Movement is told for {', '.join(MOVING_PERIODS)} only.", "movement"
            )


class MovedRowSchema(RowSchema):
    previous_rank = fields.Integer(
        allow_none=True,
        metadata={
            "description": "With `movement=true`: the rank on the period before's board (ties "
            "share a rank); null when the member was not on it."
        },
    )
    rank_change = fields.Integer(
        allow_none=True,
        metadata={
            "description": "With `movement=true`: places moved up since the period before "
            "(negative: down, 0: same); null when new on the board."
        },
    )


class LeaderboardSchema(PageSchema):
    previous_period_key = fields.String(
        metadata={"description": "With `movement=true`: the board compared with."}
    )
    items = fields.List(fields.Nested(MovedRowSchema), required=True)


class MovementSchema(BoardSchema):
    member = fields.String(required=True)
    rank = fields.Integer(allow_none=True)
    points = fields.Integer(required=True)
    previous_rank = fields.Integer(allow_none=True)
    previous_points = fields.Integer(required=True)
    previous_period_key = fields.String(required=True)
    rank_change = fields.Integer(
        allow_none=True, metadata={"description": "Places moved up (negative: down)."}
    )
    movement = fields.String(required=True, metadata={"example": "up"})


class ImprovedQuerySchema(PageQuerySchema):
    by = fields.String(load_default="points", validate=validate.OneOf(("points", "rank")))


class ImprovedRowSchema(Schema):
    rank = fields.Integer(required=True)
    member = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    gain = fields.Integer(required=True, metadata={"description": "Points (or places) gained."})
    rank_now = fields.Integer(metadata={"description": "By rank only: the rank now."})


class ImprovedSchema(BoardSchema):
    previous_period_key = fields.String(required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(ImprovedRowSchema), required=True)
