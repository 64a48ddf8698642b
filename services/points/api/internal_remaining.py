"""What a member can still earn today under the caps, for the leaderboard's catch-up. Internal:
never routed by the gateway."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import settings
from services.contracts import RemainingTodaySchema
from services.points.api.context import rules
from services.points.rules.remaining import remaining_for

blp = Blueprint(
    "internal-remaining", __name__, url_prefix="/internal/v1/members", description="Internal"
)


@blp.route("/<staff_no>/remaining-today")
class RemainingToday(MethodView):
    @blp.response(200, RemainingTodaySchema)
    @blp.alt_response(404, description="No such member.")
    def get(self, staff_no: str) -> dict[str, Any]:
        """What a member can still earn today under the caps of the rules in force now."""
        now = utcnow()
        rule = rules().book().at(now)
        with current_db().read() as session:
            found = remaining_for(session, staff_no, rule, settings().org_timezone, now)
        return {
            "member": staff_no,
            "day": found.day.isoformat(),
            "rule_version": rule.version,
            "event_types": found.event_types,
            "categories": found.categories,
        }
