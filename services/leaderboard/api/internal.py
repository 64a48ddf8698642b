"""Custom groups' members for the points service, which expands a group named by a study
session or a quiz into named members (services.contracts.GROUPS_PATH). Internal: never routed
by the gateway; signed like every request to a service."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields

from services.common.db import current_db
from services.contracts import GROUPS_PATH, GROUPS_PER_REQUEST, GroupsFoundSchema
from services.leaderboard.config import groups
from services.leaderboard.keys import UNIT_CODE_RE

blp = Blueprint("internal-groups", __name__, url_prefix=GROUPS_PATH, description="Internal")


def _codes(text: str) -> None:
    codes = text.split(",")
    if len(codes) > GROUPS_PER_REQUEST:
        raise ValidationError(f"At most {GROUPS_PER_REQUEST} codes.")
    if bad := [code for code in codes if not UNIT_CODE_RE.fullmatch(code)]:
        raise ValidationError(f"Not a group code: {', '.join(bad)}.")


class GroupsQuerySchema(Schema):
    codes = fields.String(
        required=True, validate=_codes, metadata={"description": "Comma-separated group codes."}
    )


@blp.route("")
class GroupsByCode(MethodView):
    @blp.arguments(GroupsQuerySchema(), location="query")
    @blp.response(200, GroupsFoundSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The named groups with their members, and the codes of no group."""
        codes = list(dict.fromkeys(query["codes"].split(",")))
        with current_db().read() as session:
            return groups.members_by_code(session, codes)
