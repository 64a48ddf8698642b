"""People through the real processes: the first admin from the CLI `make run`'s README names,
sign-in, the token used on the services, a member's account and their own ledger only, and a
browser's session: its cookie read over real HTTP, its CSRF token needed to write."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.harness import Platform, wait_until
from tests.harness.events import quiz
from tests.harness.people import PASSWORD, cli_admin, settled


def test_a_person_signs_in_and_reads_only_their_own_ledger(platform: Platform) -> None:
    admin = cli_admin(platform, "PE-ADMIN")
    assert platform.call("POST", "/api/v1/units", {"code": "pe-unit", "name": "PE"}, key=admin)[
        0
    ] in (201, 409)
    for staff_no in ("PE-1", "PE-2"):
        made = platform.call(
            "POST", "/api/v1/members", {"staff_no": staff_no, "name": staff_no, "unit": "pe-unit"},
            key=admin,
        )  # fmt: skip
        assert made.status in (201, 409), made.body
    account = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": "PE-1"}, key=admin)
    assert account.status == 201, account.body
    unknown = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": "PE-NONE"}, key=admin)
    assert unknown.status == 422, unknown.body
    staff = settled(platform, "PE-1", account.body["one_time_password"])

    own = platform.call("GET", "/api/v1/members/PE-1/ledger", key=staff)
    assert own.status == 200, own.body
    other = platform.call("GET", "/api/v1/members/PE-2/ledger", key=staff)
    assert other.status == 403 and other.body["code"] == 403
    assert platform.call("GET", "/api/v1/members/PE-2/ledger", key=admin).status == 200
    assert (
        platform.call("GET", "/api/v1/leaderboard", key=staff, **{"X-Viewer": "PE-2"}).status == 200
    )

    signed_out = platform.call("POST", "/api/v1/auth/sign-out", key=staff)
    assert signed_out.status == 204
    assert platform.call("GET", "/api/v1/members/PE-1/ledger", key=staff).status == 401


def test_me_is_a_member_s_home_page_in_one_call(platform: Platform) -> None:
    admin = cli_admin(platform, "ME-ADMIN")
    for code, name, parent in (("me-north", "North", None), ("me-ops", "Ops", "me-north")):
        unit = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status in (201, 409)
    for staff_no in ("ME-1", "ME-2"):
        member = {"staff_no": staff_no, "name": f"Name {staff_no}", "unit": "me-ops"}
        assert platform.call("POST", "/api/v1/members", member, key=admin).status in (201, 409)
    account = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": "ME-1"}, key=admin)
    staff = settled(platform, "ME-1", account.body["one_time_password"])
    now = datetime.now(UTC).isoformat(timespec="seconds")
    status, body = platform.post_events(
        [quiz("me-1", "ME-1", at=now), quiz("me-2", "ME-2", at=now)]
    )
    assert body["accepted"] == 2, body
    platform.wait_boards_equal_ledger()

    mine = platform.call("GET", "/api/v1/me", key=staff)
    assert mine.status == 200, mine.body
    profile = platform.call("GET", "/api/v1/members/ME-1/profile", key=staff).body
    assert mine.body["member"] == "ME-1" and mine.body["profile"] == profile
    assert profile["total_points"] > 0 and mine.body["unavailable"] == []
    ranks = {(s["scope"], s["period"]): s for s in mine.body["standings"]}
    assert set(ranks) == {
        (scope, period)
        for scope in ("org", "unit:me-north", "unit:me-ops")
        for period in ("week", "month", "all")
    }
    assert ranks[("unit:me-ops", "week")]["points"] == profile["total_points"]
    assert ranks[("unit:me-ops", "week")]["total"] == 2
    assert mine.body["catch_up"]["scope"] == "org" and mine.body["catch_up"]["member"] == "ME-1"

    keyed = platform.call("GET", "/api/v1/me", key=platform.reader_key)
    assert keyed.status == 403 and "person" in keyed.body["message"]
    assert platform.call("GET", "/api/v1/me", key="").status == 401

    document = platform.call("GET", "/api/openapi.json", key="").body
    answer = document["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]
    schema = answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    parts = document["components"]["schemas"][schema]["properties"]
    assert parts["profile"]["$ref"].endswith("/PointsProfile")
    assert parts["standings"]["items"]["$ref"].endswith("/LeaderboardStandingRow")
    assert parts["catch_up"]["allOf"][0]["$ref"].endswith("/LeaderboardCatchUp")
    for part in ("PointsProfile", "LeaderboardStandingRow", "LeaderboardCatchUp"):
        assert part in document["components"]["schemas"]


def test_a_browser_session_reads_with_the_cookie_and_writes_only_with_its_csrf_token(
    platform: Platform,
) -> None:
    admin = cli_admin(platform, "PS-ADMIN")
    signed = platform.call(
        "POST", "/api/v1/auth/session", {"staff_no": "PS-ADMIN", "password": PASSWORD}, key=""
    )
    assert signed.status == 200, signed.body
    set_cookie = signed.headers["Set-Cookie"]
    assert set_cookie.startswith("li_session=lt_") and "HttpOnly" in set_cookie
    cookie = set_cookie.split(";", 1)[0]
    csrf = signed.body["csrf_token"]

    assert platform.call("POST", "/api/v1/units", {"code": "ps-unit", "name": "PS"}, key=admin)[
        0
    ] in (201, 409)
    made = platform.call(
        "POST", "/api/v1/members", {"staff_no": "PS-ADMIN", "name": "PS", "unit": "ps-unit"},
        key=admin,
    )  # fmt: skip
    assert made.status in (201, 409), made.body
    own = platform.call("GET", "/api/v1/members/PS-ADMIN/profile", key="", Cookie=cookie)
    assert own.status == 200 and own.body["member"] == "PS-ADMIN", own.body

    unit = {"code": "ps-csrf", "name": "Made with the cookie"}
    refused = platform.call("POST", "/api/v1/units", unit, key="", Cookie=cookie)
    assert refused.status == 403, refused.body
    assert refused.body["message"] == "The CSRF token is missing or invalid."
    assert platform.call("GET", "/api/v1/units/ps-csrf", key=admin).status == 404
    allowed = platform.call(
        "POST", "/api/v1/units", unit, key="", Cookie=cookie, **{"X-CSRF-Token": csrf}
    )
    assert allowed.status == 201, allowed.body

    out = platform.call(
        "DELETE", "/api/v1/auth/session", key="", Cookie=cookie, **{"X-CSRF-Token": csrf}
    )
    assert out.status == 204
    gone = platform.call("GET", "/api/v1/members/PS-ADMIN/profile", key="", Cookie=cookie)
    assert gone.status == 401


def test_a_region_s_admin_and_reviewer_reach_their_region_only(platform: Platform) -> None:
    """Through the real hop: the roles travel signed in X-Roles, and the services check the
    tree (points: members, adjustments, ledger; the leaderboard: history)."""
    admin = cli_admin(platform, "RG-ADMIN")
    for unit in ({"code": "rg-north", "name": "N"}, {"code": "rg-south", "name": "S"}):
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status in (201, 409)
    people = {"RG-1": "rg-north", "RG-2": "rg-south", "RG-A": "rg-north", "RG-R": "rg-north"}
    for staff_no, unit in people.items():
        body = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert platform.call("POST", "/api/v1/members", body, key=admin).status in (201, 409)
    tokens = {}
    for staff_no, role in (("RG-A", "admin"), ("RG-R", "reviewer")):
        made = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no}, key=admin)
        grant = {"role": role, "unit": "rg-north"}
        path = f"/api/v1/auth/accounts/{staff_no}/roles"
        assert platform.call("POST", path, grant, key=admin).status == 200
        tokens[role] = settled(platform, staff_no, made.body["one_time_password"])

    region_admin, reviewer = tokens["admin"], tokens["reviewer"]
    adjust = {"points": 2, "reason": "mentored a colleague"}
    inside = platform.call("POST", "/api/v1/members/RG-1/adjustments", adjust, key=region_admin)
    assert inside.status == 201, inside.body
    outside = platform.call("POST", "/api/v1/members/RG-2/adjustments", adjust, key=region_admin)
    assert outside.status == 403, outside.body
    moved = platform.call("PATCH", "/api/v1/members/RG-1", {"unit": "rg-south"}, key=region_admin)
    assert moved.status == 403
    # The leaderboard learns a member's unit from the member's sync job: wait for it.
    history = "/api/v1/members/RG-1/history"
    wait_until(lambda: platform.call("GET", history, key=reviewer).status == 200, 30, 0.2, history)
    for part in ("ledger", "profile", "history"):
        ours = platform.call("GET", f"/api/v1/members/RG-1/{part}", key=reviewer)
        assert ours.status == 200, (part, ours.body)
        theirs = platform.call("GET", f"/api/v1/members/RG-2/{part}", key=reviewer)
        assert theirs.status == 403, (part, theirs.body)
    refused = platform.call(
        "PUT", "/api/v1/leaderboard/settings", {"privacy": "names"}, key=region_admin
    )
    assert refused.status == 403
    forged = platform.call(
        "GET", "/api/v1/members/RG-2/ledger", key=reviewer, **{"X-Roles": "reviewer admin"}
    )
    assert forged.status == 403  # the client's copy is dropped; the gateway sets its own
