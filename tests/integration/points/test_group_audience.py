"""Custom groups as an audience, with the leaderboard and points apps both real: the points app
asks the leaderboard (served over HTTP, signed) for a group's members when it records the
audience, and keeps them as named members tagged with the group."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.migrations import upgrade
from services.settings import Settings
from tests.integration.points.sessions_help import ORG_ADMIN, add_members, schedule
from tests.support import free_port, serving


@pytest.fixture
def leaderboard(settings: Settings, redis: Redis) -> Iterator[FlaskClient]:
    from services.leaderboard.app import create_app

    upgrade("services.leaderboard", settings.database_url("leaderboard"))
    app = create_app(settings)
    with serving(app) as url:
        app.config["URL"] = url
        yield app.test_client()
    app.extensions["db"].dispose()


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str, leaderboard: FlaskClient) -> Settings:
    urls = {"rewards": rewards_url, "leaderboard": leaderboard.application.config["URL"]}
    return settings.with_overrides(service_urls={**settings.service_urls, **urls})


@pytest.fixture
def hires(org: FlaskClient, leaderboard: FlaskClient) -> FlaskClient:
    add_members(org, ("S010", "north"), ("S011", "south"))
    group = {"code": "new-hires", "name": "New hires", "members": ["S010", "S011", "S003", "X9"]}
    assert leaderboard.post("/api/v1/leaderboard/groups", json=group).status_code == 201
    return org


def test_a_session_for_a_group_expects_its_members_and_closing_marks_them(
    hires: FlaskClient, leaderboard: FlaskClient
) -> None:
    made = schedule(hires, [], ["S001"], expected={"units": [], "members": ["S001"],
                                                  "groups": ["new-hires"]})  # fmt: skip
    # S003 is inactive and X9 unknown here: left out of the group's count.
    assert made["expected"] == {
        "units": [], "members": ["S001"], "groups": [{"code": "new-hires", "count": 2}]
    }  # fmt: skip
    # A later change to the group does not change who is expected.
    patch = {"remove": ["S011"]}
    assert leaderboard.patch("/api/v1/leaderboard/groups/new-hires", json=patch).status_code == 200
    closed = hires.post(f"/api/v1/sessions/{made['id']}/close", headers=ORG_ADMIN)
    assert closed.status_code == 200 and closed.get_json()["absent"] == 3, closed.get_json()
    figures = hires.get(f"/api/v1/sessions/{made['id']}/figures").get_json()
    assert [(g["group"], g["expected"], g["absent"]) for g in figures["groups"]] == [
        ("new-hires", 2, 2)
    ]


def test_an_unknown_group_is_a_422_naming_it_and_nothing_is_stored(hires: FlaskClient) -> None:
    body = {"title": "T", "starts_at": "2030-12-11T15:00:00", "ends_at": "2030-12-11T16:00:00",
            "expected": {"groups": ["new-hires", "nobody"]}}  # fmt: skip
    refused = hires.post("/api/v1/sessions", json=body, headers=ORG_ADMIN)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["json"] == {
        "expected": {"groups": ["Unknown group(s): nobody."]}
    }
    assert hires.get("/api/v1/sessions").get_json()["total"] == 0


def test_a_series_and_a_quiz_take_groups(hires: FlaskClient) -> None:
    series = {"title": "Weekly", "weekday": "wednesday", "time": "15:00",
              "duration_minutes": 60, "from": "2030-12-01", "count": 3,
              "expected": {"groups": ["new-hires"]}}  # fmt: skip
    made = hires.post("/api/v1/sessions/series", json=series, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    assert all(s["expected"]["groups"] == [{"code": "new-hires", "count": 2}]
               for s in made.get_json()["items"])  # fmt: skip
    quiz = {"id": "q-hires", "title": "Q", "opens_at": "2030-12-01T09:00:00",
            "closes_at": "2030-12-02T09:00:00", "max_score": 100, "pass_mark": 60,
            "groups": ["new-hires"]}  # fmt: skip
    kept = hires.post("/api/v1/quizzes", json=quiz, headers=ORG_ADMIN)
    assert kept.status_code == 201, kept.get_json()
    assert kept.get_json()["groups"] == [{"code": "new-hires", "count": 2}]
    figures = hires.get("/api/v1/quizzes/q-hires/figures", headers=ORG_ADMIN).get_json()
    assert figures["overall"]["invited"] == 2


def test_the_leaderboard_down_is_a_503_with_retry_after_and_changes_nothing(
    settings: Settings, rewards_url: str, redis: Redis
) -> None:
    from services.points.app import create_app

    urls = {"rewards": rewards_url, "leaderboard": f"http://127.0.0.1:{free_port()}"}
    upgrade("services.points", settings.database_url("points"))
    app: Flask = create_app(settings.with_overrides(service_urls={**settings.service_urls, **urls}))
    client = app.test_client()
    assert client.post("/api/v1/units", json={"code": "north", "name": "N"}).status_code == 201
    body = {"title": "T", "starts_at": "2030-12-11T15:00:00", "ends_at": "2030-12-11T16:00:00",
            "expected": {"units": ["north"], "groups": ["new-hires"]}}  # fmt: skip
    refused = client.post("/api/v1/sessions", json=body, headers=ORG_ADMIN)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "10"
    quiz = {"id": "q", "title": "Q", "opens_at": "2030-12-01T09:00:00",
            "closes_at": "2030-12-02T09:00:00", "max_score": 100, "pass_mark": 60,
            "groups": ["new-hires"]}  # fmt: skip
    assert client.post("/api/v1/quizzes", json=quiz, headers=ORG_ADMIN).status_code == 503
    assert client.get("/api/v1/sessions").get_json()["total"] == 0
    assert client.get("/api/v1/quizzes", headers=ORG_ADMIN).get_json()["total"] == 0
    app.extensions["db"].dispose()
