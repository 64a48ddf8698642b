"""Scheduling study sessions on a real database: local times stored as UTC, a weekly series in
one call, changes only before the start, cancelling, and who may schedule where."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from tests.integration.points.sessions_help import NORTH_ADMIN, ORG_ADMIN, person, schedule

LOCAL = {
    "title": "Policy reading",
    "starts_at": "2030-12-11T15:00:00",
    "ends_at": "2030-12-11T16:30:00+08:00",
    "link": "https://meet.example.org/policy",
    "expected": {"units": ["north"], "members": ["S002"]},
}


def test_a_session_takes_local_time_or_an_offset_and_stores_utc(org: FlaskClient) -> None:
    made = org.post("/api/v1/sessions", json=LOCAL, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["starts_at"] == "2030-12-11T07:00:00+00:00"  # Asia/Shanghai, no offset sent
    assert body["ends_at"] == "2030-12-11T08:30:00+00:00"
    assert body["grace_minutes"] == 10 and body["state"] == "scheduled"
    assert body["expected"] == {"units": ["north"], "members": ["S002"], "groups": []}
    assert body["id"].startswith("ss-")
    assert org.get(f"/api/v1/sessions/{body['id']}").get_json() == body
    listed = org.get("/api/v1/sessions?from=2030-12-11T00:00:00&state=scheduled").get_json()
    assert [s["id"] for s in listed["items"]] == [body["id"]] and listed["total"] == 1
    assert org.get("/api/v1/sessions/ss-999").status_code == 404
    assert org.get("/api/v1/sessions/nonsense").status_code == 404
    assert org.get("/api/v1/sessions?from=0001-01-01T00:00:00").status_code == 422


def test_bad_sessions_are_refused_naming_the_field_and_nothing_is_stored(
    org: FlaskClient,
) -> None:
    cases = [
        ({**LOCAL, "ends_at": "2030-12-11T14:00:00"}, ["ends_at"]),
        ({**LOCAL, "expected": {"units": ["nowhere"]}}, ["expected"]),
        ({**LOCAL, "expected": {"members": ["S003"]}}, ["expected"]),  # inactive
        ({**LOCAL, "expected": {}}, ["expected"]),
        ({**LOCAL, "grace_minutes": -1}, ["grace_minutes"]),
        ({**LOCAL, "link": "not a link"}, ["link"]),
        ({**LOCAL, "colour": "red"}, ["colour"]),
        ({**LOCAL, "starts_at": "0001-01-01T00:00:00"}, ["starts_at"]),
        ({**LOCAL, "ends_at": "9999-12-31T23:00:00-05:00"}, ["ends_at"]),
    ]
    for body, fields in cases:
        refused = org.post("/api/v1/sessions", json=body, headers=ORG_ADMIN)
        assert refused.status_code == 422, body
        assert sorted(refused.get_json()["errors"]["json"]) == fields
    assert org.get("/api/v1/sessions").get_json()["total"] == 0


def test_a_weekly_series_is_made_in_one_call(org: FlaskClient) -> None:
    series = {
        "title": "Wednesday study",
        "place": "Hall",
        "expected": {"units": ["south"]},
        "weekday": "wednesday",
        "time": "15:00",
        "duration_minutes": 90,
        "from": "2030-09-01",
        "until": "2030-09-30",
        "grace_minutes": 5,
    }
    made = org.post("/api/v1/sessions/series", json=series, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    items = made.get_json()["items"]
    assert [s["starts_at"][:10] for s in items] == [
        "2030-09-04",
        "2030-09-11",
        "2030-09-18",
        "2030-09-25",
    ]
    assert all(date.fromisoformat(s["starts_at"][:10]).weekday() == 2 for s in items)
    assert {s["starts_at"][11:] for s in items} == {"07:00:00+00:00"}
    assert {s["grace_minutes"] for s in items} == {5}
    number = made.get_json()["series"]
    assert org.get(f"/api/v1/sessions?series={number}").get_json()["total"] == 4
    counted = {**series, "until": None, "count": 3}
    assert len(org.post("/api/v1/sessions/series", json=counted).get_json()["items"]) == 3
    for bad in (
        {**series, "count": 2},
        {**series, "until": "2030-08-01"},
        {**series, "count": 0},
        {**series, "from": "9999-12-30", "until": None, "count": 3},
    ):
        refused = org.post("/api/v1/sessions/series", json=bad, headers=ORG_ADMIN)
        assert refused.status_code == 422 and refused.get_json()["errors"]["json"], bad
    assert org.get("/api/v1/sessions").get_json()["total"] == 7


def test_a_session_changes_before_its_start_only_and_cancels(org: FlaskClient) -> None:
    ahead = org.post("/api/v1/sessions", json=LOCAL, headers=ORG_ADMIN).get_json()
    path = f"/api/v1/sessions/{ahead['id']}"
    changed = org.patch(path, json={"title": "Policy, part 1", "grace_minutes": 0})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Policy, part 1"
    early = org.patch(path, json={"ends_at": "2030-12-11T14:00:00"})
    assert early.status_code == 422 and "ends_at" in early.get_json()["errors"]["json"]
    started = schedule(org, ["south"])
    late = org.patch(f"/api/v1/sessions/{started['id']}", json={"title": "x"})
    assert late.status_code == 409
    cancelled = org.post(f"{path}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["state"] == "cancelled"
    assert org.post(f"{path}/cancel").status_code == 200  # again: harmless
    assert org.patch(path, json={"title": "y"}).status_code == 409
    assert org.post(f"{path}/close").status_code == 409  # cancelled sessions are not closed


def test_a_subtree_admin_schedules_inside_their_subtree_only(org: FlaskClient) -> None:
    inside = {**LOCAL, "expected": {"units": ["north-ops"], "members": ["S001"]}}
    made = org.post("/api/v1/sessions", json=inside, headers=NORTH_ADMIN)
    assert made.status_code == 201, made.get_json()
    for outside in ({"units": ["south"]}, {"members": ["S002"]}, {"units": ["north", "south"]}):
        body = {**LOCAL, "expected": outside}
        refused = org.post("/api/v1/sessions", json=body, headers=NORTH_ADMIN)
        assert refused.status_code == 403 and "south" in refused.get_json()["message"]
    theirs = org.post("/api/v1/sessions", json=LOCAL, headers=ORG_ADMIN).get_json()
    path = f"/api/v1/sessions/{theirs['id']}"  # expects S002 of the south too
    assert org.patch(path, json={"title": "x"}, headers=NORTH_ADMIN).status_code == 403
    assert org.post(f"{path}/cancel", headers=NORTH_ADMIN).status_code == 403
    assert org.get(path).get_json()["state"] == "scheduled"
    assert org.get("/api/v1/sessions", headers=person("S001")).get_json()["total"] == 2
