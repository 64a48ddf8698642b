"""Members: /api/v1/members, and each member's ledger."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.points import org
from services.points.api import unit_access
from services.points.api.context import announce_member
from services.points.ledger import feeds as ledger
from services.points.schemas import (
    EntryPageSchema,
    MemberOutSchema,
    MemberPageSchema,
    MemberPatchSchema,
    MemberQuerySchema,
    MemberSchema,
    PageQuerySchema,
)

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Members")


@blp.route("")
class Members(MethodView):
    @blp.arguments(MemberQuerySchema(), location="query")
    @blp.response(200, MemberPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List members, optionally of one unit or only (in)active ones, by staff number."""
        with current_db().read() as session:
            total, members = org.list_members(session, **query)
            tree = org.unit_codes(session)
            return {"total": total, "items": [org.member_view(m, tree) for m in members]}

    @blp.arguments(MemberSchema())
    @blp.response(201, MemberOutSchema)
    @blp.alt_response(409, description="A member with that staff number exists.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add a member to a unit."""
        with current_db().write() as session:
            unit_access.may_manage_unit(session, body["unit"], field="unit")
            member = org.create_member(session, **body)
            view = org.member_view(member, org.unit_codes(session))
        announce_member(view["staff_no"], view["name"], view["active"])
        return view


@blp.route("/<staff_no>")
class MemberByStaffNo(MethodView):
    @blp.response(200, MemberOutSchema)
    def get(self, staff_no: str) -> dict[str, Any]:
        """One member."""
        with current_db().read() as session:
            member = org.member_by_staff_no(session, staff_no)
            return org.member_view(member, org.unit_codes(session))

    @blp.arguments(MemberPatchSchema(), required=False)
    @blp.response(200, MemberOutSchema)
    def patch(self, changes: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """Rename, move to another unit, or (de)activate a member. Points already earned stay
        with the unit they were earned in; inactive members can no longer earn."""
        with current_db().write() as session:
            unit_access.may_manage_member(session, org.member_by_staff_no(session, staff_no))
            if "unit" in changes:
                unit_access.may_manage_unit(session, changes["unit"], field="unit")
            member = org.update_member(session, staff_no, changes)
            view = org.member_view(member, org.unit_codes(session))
        announce_member(view["staff_no"], view["name"], view["active"])
        return view


@blp.route("/<staff_no>/ledger")
class MemberLedger(MethodView):
    @blp.arguments(PageQuerySchema(), location="query")
    @blp.response(200, EntryPageSchema)
    def get(self, query: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """A member's ledger entries, newest first, each with the reason it earned what it did."""
        with current_db().read() as session:
            unit_access.may_read_member(session, staff_no)
            return ledger.member_history(session, staff_no, query["limit"], query["offset"])
