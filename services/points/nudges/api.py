"""Silent members, nudges and each member's opt-out over HTTP (docs/delivery.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.db import current_db, utcnow
from services.common.errors import Forbidden, Unprocessable
from services.contracts import VIEWER_HEADER
from services.points import org
from services.points.api import unit_access
from services.points.api.context import platform_settings, sender
from services.points.models import Member
from services.points.nudges import sending, silent
from services.points.nudges.schemas import (
    NudgeRequestSchema,
    NudgeResultSchema,
    PreferenceOutSchema,
    PreferenceSchema,
    SilentQuerySchema,
    SilentSchema,
)

blp = Blueprint("nudges", __name__, url_prefix="/api/v1", description="Silent members and nudges")
OUTSIDE = "Outside the units the caller administers."


def _units(session: Session, code: str | None, field: str | None = None) -> set[int] | None:
    """The unit's subtree (None: the organisation), once the caller may manage it."""
    unit_access.may_manage_unit(session, code, field=field)
    if code is None:
        return None
    return org.below(org.unit_codes(session), [org.unit_by_code(session, code).id])


@blp.route("/analytics/silent")
class Silent(MethodView):
    @blp.arguments(SilentQuerySchema(), location="query")
    @blp.response(200, SilentSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Active members of the unit with no learning activity in the last ``days`` days."""
        now = utcnow()
        with current_db().read() as session:
            members = silent.members_of(session, _units(session, query["unit"]))
            quiet = silent.silent(session, members, query["days"], now)
            since = (now - timedelta(days=query["days"])).isoformat()
            return {**query, "since": since, "items": silent.view(session, quiet)}


@blp.route("/nudges")
class Nudges(MethodView):
    @blp.arguments(NudgeRequestSchema())
    @blp.response(200, NudgeResultSchema)
    @blp.alt_response(403, description=OUTSIDE)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Nudge the silent members of a unit, or those of ``staff_nos`` who are silent; the
        answer lists who was sent what, and who was skipped and why."""
        with current_db().write() as session:
            if "unit" in body:
                members = silent.members_of(session, _units(session, body["unit"], "unit"))
            else:
                members = _named(session, body["staff_nos"])
            cooldown = platform_settings().nudge_cooldown_days
            return sending.nudge(session, members, body["days"], cooldown, sender(), utcnow())


def _named(session: Session, staff_nos: list[str]) -> list[Member]:
    wanted = sorted(set(staff_nos))
    found = {
        m.staff_no: m
        for m in session.scalars(
            select(Member).where(Member.staff_no.in_(wanted)).with_for_update()
        )
    }
    unknown = [s for s in wanted if s not in found]
    if unknown:
        message = f"Unknown staff numbers: {', '.join(unknown)}."
        raise Unprocessable(errors={"json": {"staff_nos": [message]}})
    for member in found.values():
        unit_access.may_manage_member(session, member)
    return [found[s] for s in wanted]


@blp.route("/members/<staff_no>/nudges")
class Preference(MethodView):
    @blp.response(200, PreferenceOutSchema)
    @blp.alt_response(403, description="Another member's, and not an admin of their unit.")
    def get(self, staff_no: str) -> dict[str, Any]:
        """Whether the member has opted out of nudges."""
        with current_db().read() as session:
            member = _own_or_administered(session, staff_no)
            return {"staff_no": staff_no, "opted_out": sending.preference(session, member)}

    @blp.arguments(PreferenceSchema())
    @blp.response(200, PreferenceOutSchema)
    @blp.alt_response(403, description="Another member's, and not an admin of their unit.")
    def put(self, body: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """Opt out of nudges (``opted_out: true``) or back in; the member's own choice."""
        with current_db().write() as session:
            member = _own_or_administered(session, staff_no)
            sending.set_preference(session, member, body["opted_out"], utcnow())
            return {"staff_no": staff_no, "opted_out": body["opted_out"]}


def _own_or_administered(session: Session, staff_no: str) -> Member:
    member = org.member_by_staff_no(session, staff_no)
    if request.headers.get(VIEWER_HEADER) == staff_no:
        return member
    if unit_access.reach() is None:
        raise Forbidden("A member's nudge setting is theirs: sign in as them or as their admin.")
    unit_access.may_manage_member(session, member)
    return member
