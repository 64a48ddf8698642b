"""The leaderboard's HTTP API, in-process, on a real Redis seeded through the projection."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.calendar import period_key, today
from services.common.queues import queue
from services.contracts import DEFAULT
from services.leaderboard.projection.script import apply_batch
from tests.entries import make_entry


@pytest.fixture
def client(app: Flask, redis: Redis, lock_token: str) -> FlaskClient:
    apply_batch(
        redis,
        [
            make_entry(1, "S0001", 10, name="Li Na"),
            make_entry(2, "S0002", 8, category="attendance", unit_path=("south",)),
            make_entry(3, "S0003", 8, name="Wang Wei"),
            make_entry(4, "S0004", 3, local_date="2026-11-20"),
            make_entry(5, "S0003", 1, local_date="2025-06-01", name="Wang Wei"),
        ],
        lock_token,
    )
    return app.test_client()


def test_the_org_board_of_all_time(client: FlaskClient) -> None:
    body = client.get("/api/v1/leaderboard").get_json()
    assert {k: body[k] for k in ("scope", "period", "period_key", "category", "total")} == {
        "scope": "org",
        "period": "all",
        "period_key": "all",
        "category": "total",
        "total": 4,
    }
    assert body["items"] == [
        {"rank": 1, "member": "S0001", "name": "Li Na", "points": 10},
        {"rank": 2, "member": "S0003", "name": "Wang Wei", "points": 9},
        {"rank": 3, "member": "S0002", "name": "Name of S0002", "points": 8},
        {"rank": 4, "member": "S0004", "name": "Name of S0004", "points": 3},
    ]


def test_a_unit_week_category_board_with_paging(client: FlaskClient) -> None:
    query = "scope=unit:north-ops&period=week&category=quiz&at=2026-11-26&limit=1&offset=1"
    body = client.get(f"/api/v1/leaderboard?{query}").get_json()
    assert body["period_key"] == "w2026-W48" and body["total"] == 2  # S0004's is a week earlier
    assert body["items"] == [{"rank": 2, "member": "S0003", "name": "Wang Wei", "points": 8}]


def test_ties_share_a_rank(client: FlaskClient) -> None:
    body = client.get("/api/v1/leaderboard?period=day&at=2026-11-26").get_json()
    assert [(i["rank"], i["member"]) for i in body["items"]] == [
        (1, "S0001"),
        (2, "S0002"),
        (2, "S0003"),
    ]


def test_at_defaults_to_today_in_the_organisation_s_zone(client: FlaskClient) -> None:
    body = client.get("/api/v1/leaderboard?period=day").get_json()
    assert body["period_key"] == period_key("day", today("Asia/Shanghai"))


def test_a_board_nobody_is_on(client: FlaskClient) -> None:
    body = client.get("/api/v1/leaderboard?scope=unit:east&category=practice").get_json()
    assert body["total"] == 0 and body["items"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("scope=team:north", "scope"),
        ("scope=unit:a:b", "scope"),
        ("period=decade", "period"),
        ("category=Quiz", "category"),
        ("category=" + "a" * 33, "category"),
        ("at=2026-02-30", "at"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_bad_query_parameters_are_422_keyed_by_location(
    client: FlaskClient, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/leaderboard?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    assert list(body["errors"]["query"]) == [field]


def test_a_member_s_standing(client: FlaskClient) -> None:
    body = client.get("/api/v1/members/S0003/standing?period=day&at=2026-11-26").get_json()
    assert body == {
        "member": "S0003",
        "name": "Wang Wei",
        "scope": "org",
        "period": "day",
        "period_key": "d2026-11-26",
        "category": "total",
        "points": 8,
        "rank": 2,
        "total": 3,
        "percentile": 0.0,  # tied with S0002, and nobody has fewer points
    }


def test_the_standing_of_a_member_not_on_the_board(client: FlaskClient) -> None:
    body = client.get("/api/v1/members/S0002/standing?scope=unit:north").get_json()
    assert (body["points"], body["rank"], body["percentile"], body["total"]) == (0, None, None, 3)
    assert body["name"] == "Name of S0002"


def test_a_standing_with_bad_query_parameters(client: FlaskClient) -> None:
    response = client.get("/api/v1/members/S0001/standing?period=fortnight&limit=5")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["query"]) == ["period"]


def test_rebuild_enqueues_a_job(client: FlaskClient, redis: Redis) -> None:
    response = client.post("/api/v1/leaderboard/rebuild")
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    assert queue(DEFAULT, redis).job_ids == [job_id]


def test_the_openapi_document_lists_the_endpoints(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert set(paths) == {
        "/api/v1/leaderboard",
        "/api/v1/leaderboard/compare",
        "/api/v1/leaderboard/improved",
        "/api/v1/leaderboard/teams",
        "/api/v1/leaderboard/teams/improved",
        "/api/v1/leaderboard/archive",
        "/api/v1/leaderboard/groups",
        "/api/v1/leaderboard/groups/{code}",
        "/api/v1/leaderboard/settings",
        "/api/v1/leaderboard/rebuild",
        "/api/v1/leaderboard/verify",
        "/api/v1/leaderboard/jobs/{job_id}",
        "/api/v1/members/{staff_no}/standing",
        "/api/v1/members/{staff_no}/standings",
        "/api/v1/members/{staff_no}/around",
        "/api/v1/members/{staff_no}/catch-up",
        "/api/v1/members/{staff_no}/movement",
        "/api/v1/members/{staff_no}/history",
        "/internal/v1/groups",  # the points service asks it for a group's members
    }
    assert paths["/api/v1/leaderboard"]["get"]["summary"].startswith("A page of a board")


def test_redis_down_is_a_503(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from services.leaderboard.app import create_app
    from services.settings import Settings
    from tests.support import free_port

    settings = Settings.from_env(
        {"VAR_DIR": str(tmp_path), "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    )
    response = create_app(settings).test_client().get("/api/v1/leaderboard")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
