"""What the leaderboard's admin API takes in and gives out."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.common.calendar import PERIODS as STORED
from services.leaderboard.config.groups import PRIVACY_CHOICES
from services.leaderboard.keys import CATEGORY_RE, SCOPE_RE, UNIT_CODE_RE


class JsonBoolean(fields.Boolean):
    """JSON's true or false only: the document says boolean, so 0, 1 or "yes" are refused."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


STAFF_NOS = fields.List(fields.String(validate=validate.Length(min=1, max=64)))


class GroupSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(UNIT_CODE_RE))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    excluded = JsonBoolean(
        load_default=False,
        metadata={"description": "Members of an excluded group are left off every board."},
    )
    members = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list)


def _staff_no() -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=64))


class GroupPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    excluded = JsonBoolean()
    # Same item rule as GroupSchema: what a patch may store, the group's answer may show.
    members = fields.List(_staff_no(), metadata={"description": "Replace every member."})
    add = fields.List(_staff_no(), metadata={"description": "Add these members."})
    remove = fields.List(_staff_no(), metadata={"description": "Remove these members."})


class GroupListSchema(Schema):
    items = fields.List(fields.Nested(GroupSchema), required=True)


class SettingsSchema(Schema):
    privacy = fields.String(
        validate=validate.OneOf(PRIVACY_CHOICES),
        metadata={
            "description": "`names`: everyone sees names. `ranks_only`: others appear by rank "
            "and points only; a member sees their own name (header X-Viewer)."
        },
    )


class RebuildSchema(Schema):
    scope = fields.String(load_default=None, validate=validate.Regexp(SCOPE_RE))
    period = fields.String(load_default=None, validate=validate.OneOf(STORED))
    at = fields.Date(load_default=None)
    category = fields.String(load_default=None, validate=validate.Regexp(CATEGORY_RE))


class VerifySchema(Schema):
    repair = JsonBoolean(load_default=False)


class JobSchema(Schema):
    job_id = fields.String(required=True)


class JobStatusSchema(JobSchema):
    status = fields.String(required=True)
    progress = fields.Dict(required=True)
    result = fields.Raw(allow_none=True)
