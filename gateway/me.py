"""``GET /api/v1/me``: everything a signed-in member's home page shows, in one call.

The parts live in two services: points, level, streak and badges in the points service's
profile; ranks in the leaderboard. The gateway asks each as the person themselves (the same
signed headers a forwarded request gets, so the services apply the same rules) and puts the
answers side by side, unchanged. The profile is the one part that must be there; when the
leaderboard cannot answer, its parts are null and named in ``unavailable``, so a member still
sees their points while the boards are down.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gateway.as_person import Refused, get, headers_for, optional
from gateway.auth import Caller
from gateway.auth_api import BEARER, door, own_route
from gateway.proxy import relay, upstreams
from gateway.same_as import SAME_AS
from services.common.errors import BadGateway, Forbidden

blp = Blueprint("me", __name__, url_prefix="/api/v1", description="The signed-in member")

# The boards a member's home page ranks them on: this week, this month and all time, in
# every scope that contains them (organisation, region, department, team).
PERIODS = ("week", "month", "all")
CATCH_UP = {"scope": "org", "period": "week"}  # the catch-up line: the organisation's week

# SAME_AS names the service's own schema for a part relayed unchanged: the merged document
# points there (gateway/openapi.py), so the part is described once, by its owner.


class MeSchema(Schema):
    member = fields.String(required=True, metadata={"description": "Your staff number."})
    name = fields.String(allow_none=True)
    profile = fields.Dict(
        required=True,
        metadata={SAME_AS: "PointsProfile", "description": "Points, level, badges, streak."},
    )
    standings = fields.List(
        fields.Dict(metadata={SAME_AS: "LeaderboardStandingRow"}),
        allow_none=True,
        metadata={
            "description": "Rank and points in every scope of yours, for " + ", ".join(PERIODS)
        },
    )
    catch_up = fields.Dict(
        allow_none=True,
        metadata={SAME_AS: "LeaderboardCatchUp", "description": "The gap to the next rank."},
    )
    unavailable = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Services that could not answer; their parts are null."},
    )


@own_route(blp, "/me", "GET")
@blp.response(200, MeSchema)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Not signed in")
@blp.alt_response(403, response="DEFAULT_ERROR", description="An API key, not a person")
@blp.doc(**BEARER)
def me() -> Any:
    """Your points, level, streak, badges, ranks (week, month, all time) and catch-up line"""
    caller = door().callers.from_request(request)
    if caller.staff_no is None:
        raise Forbidden(
            "GET /api/v1/me is a signed-in person's; a system's key names the member: "
            "/api/v1/members/<staff_no>/profile."
        )
    if caller.must_change:
        raise Forbidden("Change your password first: POST /api/v1/auth/password.")
    try:
        return gather(caller)
    except Refused as refused:
        return relay(refused.answer, upstreams().urls[refused.service], request.host_url)


def gather(caller: Caller) -> dict[str, Any]:
    """The answer of ``/me`` for a signed-in person (the pages show it too); ``Refused`` when
    a service refuses."""
    assert caller.staff_no is not None
    member, headers = caller.staff_no, headers_for(caller)
    profile = get("points", f"/api/v1/members/{member}/profile", {}, headers)
    unavailable: list[str] = []
    standings = optional(
        unavailable, "leaderboard", f"/api/v1/members/{member}/standings",
        {"periods": PERIODS}, headers,
    )  # fmt: skip
    catch_up = optional(
        unavailable, "leaderboard", f"/api/v1/members/{member}/catch-up", CATCH_UP, headers
    )
    return {
        "member": member,
        "name": profile.get("name"),
        "profile": profile,
        "standings": None if standings is None else _items(standings),
        "catch_up": catch_up,
        "unavailable": sorted(set(unavailable)),
    }


def _items(standings: Any) -> Any:
    if not isinstance(standings, dict) or not isinstance(standings.get("items"), list):
        raise BadGateway("The leaderboard service sent a broken answer.")
    return standings["items"]
