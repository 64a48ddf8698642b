"""Units and members: the organisation the ledger refers to."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def test_units_form_a_tree(org: FlaskClient) -> None:
    units = {u["code"]: u for u in org.get("/api/v1/units").get_json()}
    assert units["north-ops"]["parent"] == "north"
    assert units["north"]["parent"] is None


def test_a_unit_cannot_move_under_its_own_subunit(org: FlaskClient) -> None:
    response = org.patch("/api/v1/units/north", json={"parent": "north-ops"})
    assert response.status_code == 422
    assert "parent" in response.get_json()["errors"]["json"]
    assert org.get("/api/v1/units/north").get_json()["parent"] is None


def test_duplicates_and_unknown_references_are_refused(org: FlaskClient) -> None:
    again = org.post("/api/v1/units", json={"code": "north", "name": "x"})
    assert again.status_code == 409 and again.get_json()["status"] == "Conflict"
    orphan = org.post("/api/v1/units", json={"code": "x", "name": "x", "parent": "nowhere"})
    assert orphan.status_code == 422
    assert orphan.get_json()["errors"]["json"]["parent"] == ["Unknown unit 'nowhere'."]
    member = org.post("/api/v1/members", json={"staff_no": "S001", "name": "x", "unit": "north"})
    assert member.status_code == 409
    assert org.get("/api/v1/units/x").status_code == 404


def test_bad_member_bodies_name_the_field(org: FlaskClient) -> None:
    response = org.post("/api/v1/members", json={"staff_no": "bad id!", "unit": "north"})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"staff_no", "name"}


def test_members_are_listed_filtered_and_updated(org: FlaskClient) -> None:
    page = org.get("/api/v1/members?unit=south&active=true").get_json()
    assert [m["staff_no"] for m in page["items"]] == ["S002"] and page["total"] == 1
    moved = org.patch("/api/v1/members/S002", json={"unit": "north-ops", "name": "Wang W."})
    assert moved.get_json() == {
        "staff_no": "S002",
        "name": "Wang W.",
        "unit": "north-ops",
        "active": True,
        "leader": False,
    }
    assert org.get("/api/v1/members/S404").status_code == 404


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("", ["S001", "S002", "S003"]),
        ("?limit=10", ["S001", "S002", "S003"]),
        ("?unit=south", ["S002", "S003"]),
        ("?active=true", ["S001", "S002"]),
    ],
)
def test_members_are_listed_with_any_filter_left_out(
    org: FlaskClient, query: str, listed: list[str]
) -> None:
    response = org.get(f"/api/v1/members{query}")
    assert response.status_code == 200
    page = response.get_json()
    assert [m["staff_no"] for m in page["items"]] == listed and page["total"] == len(listed)


def test_member_changes_are_announced_to_the_leaderboards(org: FlaskClient, redis) -> None:  # type: ignore[no-untyped-def]
    from services.common.queues import queue

    jobs = queue("projection", redis).get_jobs()
    assert {j.func_name for j in jobs} == {"services.leaderboard.jobs.sync_member"}
    assert len(jobs) == 3
