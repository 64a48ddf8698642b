"""People reach as far as their roles' units: an admin of a region changes members, units and
points inside it only; a reviewer reads another member's ledger and profile inside theirs.
The roles come in the signed X-Roles header, as the gateway sends them."""

from __future__ import annotations

from flask.testing import FlaskClient

NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
NORTH_REVIEWER = {"X-Roles": "reviewer@north staff", "X-Viewer": "R001", "X-Scopes": "read"}
ORG_ADMIN = {"X-Roles": "admin staff", "X-Viewer": "A000", "X-Scopes": "admin"}
ADJUST = {"points": 3, "reason": "helped a colleague"}


def test_a_region_s_admin_manages_members_inside_it_only(org: FlaskClient) -> None:
    inside = {"staff_no": "N010", "name": "New North", "unit": "north-ops"}
    assert org.post("/api/v1/members", json=inside, headers=NORTH_ADMIN).status_code == 201
    outside = {"staff_no": "N011", "name": "New South", "unit": "south"}
    refused = org.post("/api/v1/members", json=outside, headers=NORTH_ADMIN)
    assert refused.status_code == 403 and "south" in refused.get_json()["message"]
    assert org.get("/api/v1/members/N011").status_code == 404
    unknown = {**outside, "unit": "nowhere"}
    assert org.post("/api/v1/members", json=unknown, headers=NORTH_ADMIN).status_code == 422

    assert org.patch(
        "/api/v1/members/S001", json={"name": "Li N."}, headers=NORTH_ADMIN
    ).status_code in (200, 201)
    away = org.patch("/api/v1/members/S001", json={"unit": "south"}, headers=NORTH_ADMIN)
    assert away.status_code == 403
    assert org.get("/api/v1/members/S001").get_json()["unit"] == "north-ops"
    theirs = org.patch("/api/v1/members/S002", json={"name": "x"}, headers=NORTH_ADMIN)
    assert theirs.status_code == 403
    assert org.get("/api/v1/members/S002").get_json()["name"] == "Wang Wei"
    # An admin of the whole organisation, and a system's key (no roles), reach everywhere.
    assert org.patch(
        "/api/v1/members/S002", json={"name": "W."}, headers=ORG_ADMIN
    ).status_code in (200, 201)
    assert org.patch("/api/v1/members/S002", json={"unit": "north"}).status_code in (200, 201)


def test_a_region_s_admin_shapes_units_inside_it_only(org: FlaskClient) -> None:
    team = {"code": "north-team", "name": "Team", "parent": "north-ops"}
    assert org.post("/api/v1/units", json=team, headers=NORTH_ADMIN).status_code == 201
    for parent in ("south", None):
        unit = {"code": "elsewhere", "name": "x", "parent": parent}
        assert org.post("/api/v1/units", json=unit, headers=NORTH_ADMIN).status_code == 403
    assert org.get("/api/v1/units/elsewhere").status_code == 404
    assert (
        org.patch("/api/v1/units/south", json={"name": "S"}, headers=NORTH_ADMIN).status_code == 403
    )
    moved = org.patch("/api/v1/units/north-team", json={"parent": "south"}, headers=NORTH_ADMIN)
    assert moved.status_code == 403
    assert org.get("/api/v1/units/north-team").get_json()["parent"] == "north-ops"
    top = org.patch("/api/v1/units/north", json={"parent": None}, headers=NORTH_ADMIN)
    assert top.status_code == 403  # the top of the tree is the organisation's admins'
    assert org.post(
        "/api/v1/units", json={"code": "west", "name": "W"}, headers=ORG_ADMIN
    ).status_code in (200, 201)


def test_a_region_s_admin_adjusts_points_inside_it_only(org: FlaskClient) -> None:
    path = "/api/v1/members/{}/adjustments"
    assert org.post(path.format("S001"), json=ADJUST, headers=NORTH_ADMIN).status_code == 201
    refused = org.post(path.format("S002"), json=ADJUST, headers=NORTH_ADMIN)
    assert refused.status_code == 403
    assert org.get("/api/v1/members/S002/ledger").get_json()["total"] == 0
    assert org.post(path.format("S404"), json=ADJUST, headers=NORTH_ADMIN).status_code == 404


def test_a_reviewer_reads_others_own_data_inside_their_units_only(org: FlaskClient) -> None:
    for part in ("ledger", "profile"):
        assert org.get(f"/api/v1/members/S001/{part}", headers=NORTH_REVIEWER).status_code == 200
        other = org.get(f"/api/v1/members/S002/{part}", headers=NORTH_REVIEWER)
        assert other.status_code == 403 and "S002" in other.get_json()["message"]
        own = {**NORTH_REVIEWER, "X-Viewer": "S002", "X-Roles": "staff"}
        assert org.get(f"/api/v1/members/S002/{part}", headers=own).status_code == 200
        assert org.get(f"/api/v1/members/S002/{part}", headers=ORG_ADMIN).status_code == 200
        assert org.get(f"/api/v1/members/S002/{part}", headers=NORTH_ADMIN).status_code == 403
