"""Sign-ins for kept sessions on a real database: the status derived from the time, members
not expected and cancelled sessions refused naming them, unknown sessions as the setting says;
closing records the absent once, and a late sign-in after closing corrects the ledger once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.migrations import upgrade
from services.settings import Settings
from tests.integration.points.sessions_help import (
    add_members,
    at_minutes,
    net,
    platform_events,
    schedule,
    sign_in,
)


def post(client: FlaskClient, *events: dict) -> tuple[int, dict]:
    answer = client.post("/api/v1/events", json={"events": list(events)})
    return answer.status_code, answer.get_json()


def test_the_status_is_derived_from_the_time_and_wrong_sign_ins_are_refused(
    org: FlaskClient,
) -> None:
    study = schedule(org, ["north"], grace_minutes=5)
    ss = study["id"]
    add_members(org, ("N002", "north"), ("N003", "north-ops"))
    status, body = post(
        org,
        sign_in(ss, "S001", at_minutes(study, 5)),  # at start + grace: on time
        sign_in(ss, "N002", at_minutes(study, 6)),  # after it: late
        sign_in(ss, "N003", at_minutes(study, 30), status="on_time"),  # as sent
        sign_in(ss, "S002", at_minutes(study, 0)),  # of the south: not expected
        sign_in(ss, "S001", at_minutes(study, 1), event_id="other-terminal"),
    )
    assert status == 207, body
    results = body["results"]
    assert [r["event"]["data"]["status"] for r in results[:3]] == ["on_time", "late", "on_time"]
    assert [r["entries"][0]["points"] for r in results[:3]] == [2, 0, 2]
    assert results[3]["errors"] == {"member": [f"S002 is not expected at session {ss}."]}
    assert results[4]["errors"] == {"member": [f"S001 already has 'on_time' at session {ss}."]}
    replay = org.post("/api/v1/events", json=sign_in(ss, "S001", at_minutes(study, 5)))
    assert replay.status_code == 200 and replay.get_json()["duplicate"] is True

    cancelled = schedule(org, ["south"])
    assert org.post(f"/api/v1/sessions/{cancelled['id']}/cancel").status_code == 200
    refused = org.post(
        "/api/v1/events", json=sign_in(cancelled["id"], "S002", at_minutes(study, 1))
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"] == {
        "data": {"session": [f"Session {cancelled['id']} was cancelled."]}
    }


def test_an_unknown_session_is_ad_hoc_by_default_and_needs_a_status(org: FlaskClient) -> None:
    study = schedule(org, ["north"])
    at = at_minutes(study, 0)
    kept = org.post("/api/v1/events", json=sign_in("s-legacy", "S002", at, status="late"))
    assert kept.status_code == 201, kept.get_json()
    needs = org.post("/api/v1/events", json=sign_in("s-legacy", "S001", at))
    assert needs.status_code == 422
    assert list(needs.get_json()["errors"]["json"]["data"]) == ["status"]


@pytest.fixture
def refusing(points_settings: Settings, redis: Redis) -> Iterator[FlaskClient]:
    from services.points.app import create_app

    upgrade("services.points", points_settings.database_url("points"))
    app = create_app(points_settings.with_overrides(unknown_activity="refuse"))
    yield app.test_client()
    app.extensions["db"].dispose()


def test_refuse_names_the_unknown_session(org: FlaskClient, refusing: FlaskClient) -> None:
    event = sign_in("ss-404", "S001", "2026-12-01T10:00:00+08:00", status="on_time")
    refused = refusing.post("/api/v1/events", json=event)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"] == {
        "data": {"session": ["Unknown study session 'ss-404'."]}
    }


def test_closing_records_absences_once_and_a_late_sign_in_corrects_them_once(
    org: FlaskClient, points_app: Flask
) -> None:
    add_members(org, ("N002", "north-ops"), ("W001", "south"))
    study = schedule(org, ["north"], ["W001"])
    ss, close = study["id"], f"/api/v1/sessions/{study['id']}/close"
    assert post(org, sign_in(ss, "S001", at_minutes(study, 2)))[0] == 201
    closed = org.post(close)
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert (body["absent"], body["excused"], body["refused"]) == (2, 0, {})
    assert body["session"]["state"] == "closed"
    assert platform_events(points_app) == [f"absent:{ss}:N002", f"absent:{ss}:W001"]
    again = org.post(close).get_json()
    assert (again["absent"], again["session"]["closed_at"]) == (0, body["session"]["closed_at"])
    assert (net(points_app, "N002"), net(points_app, "W001"), net(points_app, "S001")) == (
        -3,
        -3,
        2,
    )

    late = sign_in(ss, "N002", at_minutes(study, 40))
    status, answer = post(org, late)
    assert status == 201 and answer["results"][0]["event"]["data"]["status"] == "late"
    assert net(points_app, "N002") == 0  # -3 absent, 0 late, +3 correction
    history = org.get("/api/v1/members/N002/ledger").get_json()["items"]
    assert history[0]["detail"]["kind"] == "correction" and history[0]["points"] == 3
    english = org.get("/api/v1/members/N002/ledger", headers={"Accept-Language": "en"})
    explained = [e["explanation"] for e in english.get_json()["items"]]
    assert explained[0] == f"Correction: absent from session {ss} (Law study), now late: +3 points"
    assert f"Attendance at session {ss} (Law study): late: 0 points (rule set v1)" in explained
    chinese = [e["explanation"] for e in history]
    assert f"出勤：场次 {ss}（Law study）缺勤：-3 分（规则 v1）" in chinese
    assert post(org, late)[0] == 200  # a replay: no second correction
    assert org.post(close).get_json()["absent"] == 0
    again_late = sign_in(ss, "N002", at_minutes(study, 41), event_id="another")
    refused = org.post("/api/v1/events", json=again_late)
    assert refused.status_code == 422 and "already has 'late'" in str(refused.get_json())
    assert net(points_app, "N002") == 0

    figures = org.get(f"/api/v1/sessions/{ss}/figures").get_json()
    assert figures["totals"] == {"expected": 3, "on_time": 1, "late": 1, "excused": 0,
                                 "absent": 1, "pending": 0, "rate": 0.6667}  # fmt: skip
    units = {u["unit"]: u for u in figures["units"]}
    assert (units["north"]["expected"], units["north-ops"]["rate"]) == (2, 1.0)
    assert (units["south"]["absent"], units["south"]["rate"]) == (1, 0.0)


def test_a_closed_session_keeps_who_was_expected(org: FlaskClient) -> None:
    study = schedule(org, ["north"])
    assert org.post(f"/api/v1/sessions/{study['id']}/close").get_json()["absent"] == 1
    add_members(org, ("N009", "north-ops"))  # joins after closing: not expected there
    figures = org.get(f"/api/v1/sessions/{study['id']}/figures").get_json()
    assert figures["totals"]["expected"] == 1 and figures["totals"]["absent"] == 1
    late = sign_in(study["id"], "N009", at_minutes(study, 1))
    assert org.post("/api/v1/events", json=late).status_code == 422
    ahead = schedule(org, ["north"], starts_at="2031-01-01T10:00:00", ends_at="2031-01-01T11:00:00")
    assert org.post(f"/api/v1/sessions/{ahead['id']}/close").status_code == 409
    open_figures = org.get(f"/api/v1/sessions/{ahead['id']}/figures").get_json()["totals"]
    assert (open_figures["expected"], open_figures["pending"]) == (2, 2)


def test_one_batch_replaces_an_absence_once(org: FlaskClient, points_app: Flask) -> None:
    study = schedule(org, ["south"])
    ss = study["id"]
    assert org.post(f"/api/v1/sessions/{ss}/close").get_json()["absent"] == 1
    status, body = post(
        org,
        sign_in(ss, "S002", at_minutes(study, 30), event_id="gate-1"),
        sign_in(ss, "S002", at_minutes(study, 30), event_id="gate-1"),  # the same, repeated
        sign_in(ss, "S002", at_minutes(study, 31), event_id="gate-2"),
    )
    assert status == 207, body
    assert [r["status"] for r in body["results"]] == [201, 200, 422]
    assert net(points_app, "S002") == 0
