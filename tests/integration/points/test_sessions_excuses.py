"""Excuses on a real database: a member sends theirs and reads it, an admin of their unit
decides it (403 outside, 409 for a second decision), and an approval after closing replaces
the absence with a correction in the ledger, once."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.points.sessions_help import (
    NORTH_ADMIN,
    SOUTH_ADMIN,
    net,
    person,
    platform_events,
    schedule,
)

REASON = {"reason": "On a site inspection all afternoon."}


def test_a_member_sends_an_excuse_and_an_admin_of_their_unit_decides_it(
    org: FlaskClient, points_app: Flask
) -> None:
    study = schedule(org, ["north", "south"])
    path = f"/api/v1/sessions/{study['id']}/excuses"
    sent = org.post(path, json=REASON, headers=person("S001"))
    assert sent.status_code == 201, sent.get_json()
    assert sent.get_json()["state"] == "pending" and sent.get_json()["member"] == "S001"
    assert org.post(path, json=REASON, headers=person("S001")).status_code == 409
    assert org.post(path, json=REASON).status_code == 403  # a key has no one to excuse
    assert org.post(path, json={"reason": ""}, headers=person("S002")).status_code == 422
    mine = org.get(f"{path}/S001", headers=person("S001"))
    assert mine.status_code == 200 and mine.get_json()["reason"] == REASON["reason"]
    assert org.get(f"{path}/S001", headers=person("S002")).status_code == 403
    assert org.get(f"{path}/S002", headers=person("S002")).status_code == 404

    approve = {"decision": "approve", "note": "Known duty"}
    outside = org.post(f"{path}/S001/decision", json=approve, headers=SOUTH_ADMIN)
    assert outside.status_code == 403
    assert org.get(f"{path}/S001").get_json()["state"] == "pending"
    assert org.get(path, headers=SOUTH_ADMIN).get_json()["total"] == 0  # not their unit's
    assert org.get(path, headers=NORTH_ADMIN).get_json()["total"] == 1
    decided = org.post(f"{path}/S001/decision", json=approve, headers=NORTH_ADMIN)
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["state"] == "approved" and decided.get_json()["decided_by"]
    again = org.post(f"{path}/S001/decision", json={"decision": "reject"}, headers=NORTH_ADMIN)
    assert again.status_code == 409
    bad = org.post(f"{path}/S001/decision", json={"decision": "maybe"}, headers=NORTH_ADMIN)
    assert bad.status_code == 422 and "decision" in bad.get_json()["errors"]["json"]

    closed = org.post(f"/api/v1/sessions/{study['id']}/close").get_json()
    assert (closed["absent"], closed["excused"]) == (1, 1)  # S002 absent, S001 excused
    assert net(points_app, "S001") == 0 and net(points_app, "S002") == -3


def test_an_excuse_approved_after_closing_corrects_the_absence_once(
    org: FlaskClient, points_app: Flask
) -> None:
    study = schedule(org, ["south"])
    ss = study["id"]
    path = f"/api/v1/sessions/{ss}/excuses"
    assert org.post(path, json=REASON, headers=person("S001")).status_code == 422  # north
    assert org.post(f"/api/v1/sessions/{ss}/close").get_json()["absent"] == 1
    assert net(points_app, "S002") == -3
    late = org.post(path, json=REASON, headers=person("S002"))
    assert late.status_code == 201, late.get_json()
    decided = org.post(f"{path}/S002/decision", json={"decision": "approve"}, headers=SOUTH_ADMIN)
    assert decided.status_code == 200, decided.get_json()
    assert net(points_app, "S002") == 0  # -3 absent, 0 excused, +3 correction
    assert platform_events(points_app) == [f"absent:{ss}:S002", f"excused:{ss}:S002"]
    assert org.post(f"/api/v1/sessions/{ss}/close").get_json()["excused"] == 0
    assert net(points_app, "S002") == 0
    figures = org.get(f"/api/v1/sessions/{ss}/figures").get_json()["totals"]
    assert (figures["excused"], figures["absent"], figures["rate"]) == (1, 0, 0.0)
    record = org.get("/api/v1/members/S002/sessions", headers=person("S002")).get_json()
    assert record["items"][0] == {
        "session": ss,
        "title": "Law study",
        "starts_at": study["starts_at"],
        "state": "closed",
        "status": "excused",
        "excuse": "approved",
    }
    assert record["totals"]["excused"] == 1
    assert org.get("/api/v1/members/S002/sessions", headers=person("S001")).status_code == 403
    assert org.get("/api/v1/members/S002/sessions", headers=SOUTH_ADMIN).status_code == 200


def test_a_rejected_excuse_leaves_the_absence(org: FlaskClient, points_app: Flask) -> None:
    study = schedule(org, ["south"])
    path = f"/api/v1/sessions/{study['id']}/excuses"
    assert org.post(path, json=REASON, headers=person("S002")).status_code == 201
    rejected = org.post(f"{path}/S002/decision", json={"decision": "reject", "note": "No"})
    assert rejected.status_code == 200 and rejected.get_json()["state"] == "rejected"
    assert org.post(f"/api/v1/sessions/{study['id']}/close").get_json()["absent"] == 1
    assert net(points_app, "S002") == -3
    cancelled = schedule(org, ["south"])
    assert org.post(f"/api/v1/sessions/{cancelled['id']}/cancel").status_code == 200
    cancelled_path = f"/api/v1/sessions/{cancelled['id']}/excuses"
    assert org.post(cancelled_path, json=REASON, headers=person("S002")).status_code == 409
