"""The shape of "what a member can still earn today under the caps": the points service
answers it (``GET /internal/v1/members/<staff_no>/remaining-today``) and the leaderboard's
catch-up passes it on (as the plain JSON it received: the fields work on objects and dicts
alike). ``null`` for ``remaining`` means no cap applies: no limit today."""

from __future__ import annotations

from marshmallow import Schema, fields

UNCAPPED = "null when no cap applies (no limit today)."


class CapUseSchema(Schema):
    scope = fields.String(metadata={"example": "category:study"})
    per = fields.String(metadata={"example": "day"})
    limit = fields.Integer()
    used = fields.Integer()
    remaining = fields.Integer(metadata={"description": "limit - used; never negative."})


class TypeRoomSchema(Schema):
    category = fields.String()
    remaining = fields.Integer(
        allow_none=True,
        metadata={"description": f"Room under the tightest cap on the type; {UNCAPPED}"},
    )
    best_award = fields.Integer(
        metadata={
            "description": "The most one more event can earn today (top award for a new thing, "
            "today's campaigns applied), bounded by remaining; 0 when the type only penalises."
        }
    )
    cap = fields.Nested(CapUseSchema, allow_none=True, metadata={"description": "The tightest."})


class CategoryRoomSchema(Schema):
    remaining = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Room under the category's caps, and under the sum of its types' own "
            f"caps when every type that can award has one; {UNCAPPED}"
        },
    )
    cap = fields.Nested(CapUseSchema, allow_none=True, metadata={"description": "Its own."})


class RemainingTodaySchema(Schema):
    member = fields.String()
    day = fields.String(
        metadata={"format": "date", "description": "Today in the organisation's time zone."}
    )
    rule_version = fields.Integer()
    event_types = fields.Dict(keys=fields.String(), values=fields.Nested(TypeRoomSchema))
    categories = fields.Dict(keys=fields.String(), values=fields.Nested(CategoryRoomSchema))
