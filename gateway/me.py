"""``GET /api/v1/me``: everything a signed-in member's home page shows, in one call.

The parts live in two services: points, level, streak and badges in the points service's
profile; ranks in the leaderboard. The gateway asks each as the person themselves (the same
signed headers a forwarded request gets, so the services apply the same rules) and puts the
answers side by side, unchanged. The profile is the one part that must be there; when the
leaderboard cannot answer, its parts are null and named in ``unavailable``, so a member still
sees their points while the boards are down.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import g, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gateway.auth_api import BEARER, door, own_route
from gateway.proxy import forward_headers, relay, upstreams
from gateway.same_as import SAME_AS
from gateway.transport import Answer
from services.common.errors import ApiError, BadGateway, Forbidden

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


class _Refused(Exception):
    """A service's answer other than 200, relayed to the client as the service gave it."""

    def __init__(self, service: str, answer: Answer) -> None:
        self.service, self.answer = service, answer


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
    member, headers = caller.staff_no, forward_headers(request, caller, g.request_id)
    try:
        profile = _get("points", f"/api/v1/members/{member}/profile", {}, headers)
        unavailable: list[str] = []
        standings = _optional(
            unavailable, "leaderboard", f"/api/v1/members/{member}/standings",
            {"periods": PERIODS}, headers,
        )  # fmt: skip
        catch_up = _optional(
            unavailable, "leaderboard", f"/api/v1/members/{member}/catch-up", CATCH_UP, headers
        )
    except _Refused as refused:
        return relay(refused.answer, upstreams().urls[refused.service], request.host_url)
    return {
        "member": member,
        "name": profile.get("name"),
        "profile": profile,
        "standings": None if standings is None else _items(standings),
        "catch_up": catch_up,
        "unavailable": sorted(set(unavailable)),
    }


def _get(service: str, path: str, query: dict[str, Any], headers: dict[str, str]) -> Any:
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    answer = upstreams().send(service, "GET", target, headers=headers)
    if answer.status != 200:
        raise _Refused(service, answer)
    try:
        body = json.loads(answer.data)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BadGateway(f"The {service} service sent a broken answer.")
    return body


def _optional(
    unavailable: list[str],
    service: str,
    path: str,
    query: dict[str, Any],
    headers: dict[str, str],
) -> Any:
    """A part the answer can do without: None (and the service named) when it is down."""
    try:
        return _get(service, path, query, headers)
    except ApiError as exc:
        if exc.status < 500:
            raise
    except _Refused as refused:
        if refused.answer.status < 500:
            raise
    unavailable.append(service)
    return None


def _items(standings: Any) -> Any:
    if not isinstance(standings, dict) or not isinstance(standings.get("items"), list):
        raise BadGateway("The leaderboard service sent a broken answer.")
    return standings["items"]
