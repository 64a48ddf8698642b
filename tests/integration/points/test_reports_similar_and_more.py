"""Near copies flagged on submit, escalation past the review deadline, exemplary reports and
their authors' choice to share them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from services.common.db import utcnow
from services.points.reports.escalation import escalate
from tests.integration.points.reports import (
    AUTHOR,
    BODY,
    NORTH,
    NORTH_ADMIN,
    OTHER,
    SOUTH_REVIEWER,
    TOP,
    person,
    rubric,
    scored,
    submitted,
)

ELSE = {
    "title": "A reading group on the archive rules",
    "learned": {"kind": "topic", "text": "Records retention"},
    "applied": "We meet on Fridays and each of us brings one question from the week's files.",
    "result": "Three colleagues joined; the archive office had fewer queries.",
}


def test_a_near_copy_is_flagged_with_its_match_for_reviewers_only(org: FlaskClient) -> None:
    rubric(org)
    original = submitted(org, OTHER)  # someone else's, in south
    unrelated = submitted(org, **ELSE)
    copy = submitted(
        org, title="Filing appeals in a single visit", result=BODY["result"].replace("forty", "40")
    )
    shown = org.get(f"/api/v1/reports/{copy}", headers=NORTH[0]).get_json()
    near = shown["near_copy"]
    assert near["report"] == original and near["author"] == "S002" and near["similarity"] >= 85
    assert org.get(f"/api/v1/reports/{copy}", headers=AUTHOR).get_json()["near_copy"] is None
    queued = org.get("/api/v1/reports/queue", headers=NORTH[0]).get_json()["items"]
    assert {r["id"]: r["near_copy"] is not None for r in queued} == {unrelated: False, copy: True}


def test_a_report_past_its_deadline_is_escalated_once(org: FlaskClient, points_app: Flask) -> None:
    rubric(org)
    old, fresh = submitted(org), submitted(org, **ELSE)
    db = points_app.extensions["db"]
    later = utcnow() + timedelta(days=7, hours=1)
    with db.write() as session:
        assert escalate(session, 7, utcnow()) == 0
        assert escalate(session, 7, later) == 2
    with db.write() as session:
        assert escalate(session, 7, later) == 0  # running twice changes nothing
    listed = org.get("/api/v1/reports/escalated", headers=NORTH_ADMIN).get_json()["items"]
    assert [r["id"] for r in listed] == [old, fresh] and listed[0]["escalated"]
    south_admin = person("A009", "admin@south")
    assert org.get("/api/v1/reports/escalated", headers=south_admin).get_json()["items"] == []
    assert org.get("/api/v1/reports/escalated", headers=NORTH[0]).status_code == 403
    scored(org, old, NORTH[0], TOP)  # decided: no longer escalated
    listed = org.get("/api/v1/reports/escalated", headers=NORTH_ADMIN).get_json()["items"]
    assert [r["id"] for r in listed] == [fresh]


def test_exemplary_reports_are_listed_when_their_authors_share_them(org: FlaskClient) -> None:
    rubric(org)
    report = submitted(org)
    early = org.post(f"/api/v1/reports/{report}/exemplary", headers=NORTH[0])
    assert early.status_code == 409 and "submitted" in early.get_json()["message"]
    scored(org, report, NORTH[0], TOP)
    outside = org.post(f"/api/v1/reports/{report}/exemplary", headers=SOUTH_REVIEWER)
    assert outside.status_code == 403
    assert org.post(f"/api/v1/reports/{report}/exemplary", headers=NORTH[1]).status_code == 200
    assert org.get("/api/v1/reports/exemplary", headers=OTHER).get_json()["items"] == []
    assert org.get(f"/api/v1/reports/{report}", headers=OTHER).status_code == 403
    refused = org.put(f"/api/v1/reports/{report}/sharing", json={"shared": True}, headers=OTHER)
    assert refused.status_code == 403
    shared = org.put(f"/api/v1/reports/{report}/sharing", json={"shared": True}, headers=AUTHOR)
    assert shared.status_code == 200 and shared.get_json()["shared"] is True
    for query, expected in (("", [report]), ("?unit=north", [report]), ("?unit=south", [])):
        listed = org.get(f"/api/v1/reports/exemplary{query}", headers=OTHER).get_json()
        assert [r["id"] for r in listed["items"]] == expected
    shown = org.get(f"/api/v1/reports/{report}", headers=OTHER).get_json()
    assert shown["exemplary"] and shown["scores"] == [] and shown["near_copy"] is None
    org.put(f"/api/v1/reports/{report}/sharing", json={"shared": False}, headers=AUTHOR)
    assert org.get("/api/v1/reports/exemplary", headers=OTHER).get_json()["items"] == []


def test_a_read_key_lists_the_shared_exemplary_reports_and_nothing_else(org: FlaskClient) -> None:
    key = {"X-Sender": "lobby-display", "X-Scopes": "read"}  # a system's key: no viewer, no roles
    rubric(org)
    shared, unshared, waiting = submitted(org), submitted(org, **ELSE), submitted(org, OTHER)
    for report in (shared, unshared):
        scored(org, report, NORTH[0], TOP)
        assert org.post(f"/api/v1/reports/{report}/exemplary", headers=NORTH[1]).status_code == 200
    org.put(f"/api/v1/reports/{shared}/sharing", json={"shared": True}, headers=AUTHOR)
    draft = org.post("/api/v1/reports", json=BODY, headers=AUTHOR).get_json()["id"]
    listed = org.get("/api/v1/reports/exemplary", headers=key).get_json()
    assert [r["id"] for r in listed["items"]] == [shared] and listed["total"] == 1
    assert listed["items"][0]["scores"] == [] and listed["items"][0]["near_copy"] is None
    assert listed == org.get("/api/v1/reports/exemplary", headers=OTHER).get_json()
    for report in (shared, unshared, waiting, draft):  # no report itself, the shared one neither
        assert org.get(f"/api/v1/reports/{report}", headers=key).status_code == 403
    assert org.get("/api/v1/reports/queue", headers=key).status_code == 403
    assert org.get("/api/v1/reports", headers=key).status_code == 403
