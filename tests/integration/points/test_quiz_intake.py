"""Quiz events against kept quizzes: inside the window only (outside: 422 naming it in local
time), the quiz's maximum (filled in when left out), only members the quiz is for, no scores
for a cancelled quiz; unknown quizzes ad hoc or refused by the organisation's setting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.common.migrations import upgrade
from services.settings import Settings
from tests.integration.points.quizzes import SENDER, make, score


def post(client: FlaskClient, *events: dict) -> tuple[int, dict]:
    body = events[0] if len(events) == 1 else {"events": list(events)}
    answer = client.post("/api/v1/events", json=body, headers=SENDER)
    return answer.status_code, answer.get_json()


def test_a_score_inside_the_window_earns_with_the_quiz_s_maximum(org: FlaskClient) -> None:
    make(org, "law-1", -2, 1)
    status, body = post(org, score("law-1", "S001", 45, -1))
    assert status == 201, body
    assert body["event"]["data"] == {"quiz": "law-1", "score": 45, "max_score": 50}
    assert body["entries"][0]["points"] == 6  # 90%: the default rules' band, as before
    status, again = post(org, score("law-1", "S001", 45, -1))
    assert status == 200 and again["duplicate"] is True  # completed the same way: a replay
    status, sent = post(org, score("law-1", "S001", 50, -0.5, max_score=50))
    assert status == 201 and sent["entries"][0]["points"] == 10


def test_scores_outside_the_window_or_the_quiz_are_refused_by_field(org: FlaskClient) -> None:
    make(org, "law-2", -2, 1, units=["north"])
    cases = [
        (score("law-2", "S001", 40, -3), "occurred_at"),
        (score("law-2", "S002", 40, -1), "member"),
        (score("law-2", "S001", 40, -1, max_score=100), "data"),
        (score("law-2", "S001", 60, -1), "data"),
    ]
    for event, field in cases:
        status, body = post(org, event)
        assert status == 422, body
        assert list(body["errors"]["json"]) == [field], body
    status, body = post(org, cases[0][0])
    window = body["errors"]["json"]["occurred_at"][0]
    assert window.startswith("Outside the window of quiz 'law-2': ") and "(Asia/Shanghai)" in window
    status, body = post(org, cases[1][0])
    assert "S002" in body["errors"]["json"]["member"][0]
    status, body = post(org, score("law-2", "S001", 40, -1), cases[0][0], cases[1][0])
    assert status == 207 and [r["status"] for r in body["results"]] == [201, 422, 422]
    assert org.get("/api/v1/members/S002/ledger").get_json()["total"] == 0


def test_a_cancelled_quiz_takes_no_more_scores(org: FlaskClient) -> None:
    make(org, "law-3", -2, 1)
    assert post(org, score("law-3", "S001", 40, -1))[0] == 201
    assert org.post("/api/v1/quizzes/law-3/cancel").status_code == 200
    status, body = post(org, score("law-3", "S001", 41, -1))
    assert status == 422 and "cancelled" in body["errors"]["json"]["data"]["quiz"][0]


def test_an_unknown_quiz_is_ad_hoc_by_default_with_its_own_maximum(org: FlaskClient) -> None:
    status, body = post(org, score("elsewhere", "S001", 9, -1, max_score=10))
    assert status == 201 and body["entries"][0]["points"] == 6
    status, body = post(org, score("elsewhere", "S001", 9, -0.5))
    assert status == 422 and "max_score" in body["errors"]["json"]["data"]


@pytest.fixture
def refusing(points_settings: Settings, org: FlaskClient) -> Iterator[FlaskClient]:
    from services.points.app import create_app

    upgrade("services.points", points_settings.database_url("points"))
    app: Flask = create_app(points_settings.with_overrides(unknown_activity="refuse"))
    yield app.test_client()
    app.extensions["db"].dispose()


def test_an_unknown_quiz_is_refused_when_the_organisation_says_so(refusing: FlaskClient) -> None:
    make(refusing, "known", -2, 1)
    status, body = post(refusing, score("elsewhere", "S001", 9, -1, max_score=10))
    assert status == 422
    assert body["errors"]["json"] == {"data": {"quiz": ["Unknown quiz 'elsewhere'."]}}
    assert post(refusing, score("known", "S001", 40, -1))[0] == 201
