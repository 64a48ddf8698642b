"""/api/v1/members/<staff_no>/leader: mark a member as a leader of their unit, or no longer.
The figures (services/points/analytics) show a unit's leaders beside their staff."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.points import org
from services.points.api import unit_access
from services.points.schemas import MemberOutSchema

blp = Blueprint("leaders", __name__, url_prefix="/api/v1/members", description="Members")


def _mark(staff_no: str, leader: bool) -> dict[str, Any]:
    with current_db().write() as session:
        member = org.member_by_staff_no(session, staff_no)
        unit_access.may_manage_member(session, member)
        member.leader = leader
        session.flush()
        return org.member_view(member, org.unit_codes(session))


@blp.route("/<staff_no>/leader")
class Leader(MethodView):
    @blp.response(200, MemberOutSchema)
    @blp.alt_response(403, description="The member is outside the units you administer.")
    def put(self, staff_no: str) -> dict[str, Any]:
        """Mark the member as a leader of their unit (again is harmless)."""
        return _mark(staff_no, True)

    @blp.response(200, MemberOutSchema)
    @blp.alt_response(403, description="The member is outside the units you administer.")
    def delete(self, staff_no: str) -> dict[str, Any]:
        """The member is no longer a leader (again is harmless)."""
        return _mark(staff_no, False)
