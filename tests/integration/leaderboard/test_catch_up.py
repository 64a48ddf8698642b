"""Catch-up against the real points service over HTTP (pricing with rules published to the real
rewards service), boards projected by the real drain: the gap to the next rank, what can still be
earned today under the caps, in numbers and in words; and the answer when points is down."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.http import ServiceClient
from services.contracts import internal_signer
from services.leaderboard import jobs
from services.leaderboard.app import create_app
from services.settings import Settings
from tests.integration.leaderboard.ledger import PointsService
from tests.rules_examples import document
from tests.support import free_port

# A daily study cap of 8 and a weekly quiz cap of 12; no campaign.
CAPPED = document(
    caps=[
        {"category": "study", "per": "day", "points": 8},
        {"event_type": "quiz", "per": "week", "points": 12},
    ],
    campaigns=...,
)


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str) -> Settings:
    """Rules refreshed on every call, so the version published below applies at once."""
    urls = {**settings.service_urls, "rewards": rewards_url}
    return settings.with_overrides(service_urls=urls, rules_cache_seconds=0)


def now_event(event_id: str, member: str, event_type: str, data: dict[str, Any]) -> dict:
    when = datetime.now(UTC).isoformat()
    return {"id": event_id, "type": event_type, "member": member, "occurred_at": when, "data": data}


@pytest.fixture
def projected(
    points: PointsService, rewards_url: str, redis: Redis, settings: Settings
) -> PointsService:
    """Today: S002 earns 8 + 10, S001 5 + 6 (5 of the study cap of 8, 6 of the quiz cap of 12);
    the boards are drained from the points service's outbox."""
    rules = {"name": "capped", "document": CAPPED}
    ServiceClient("rewards", rewards_url, signer=internal_signer(settings)).post(
        "/api/v1/rulesets", rules
    )
    points.post_events(
        [
            now_event("e1", "S002", "practice_report", {"title": "Visit", "rating": "A"}),
            now_event("e2", "S002", "quiz", {"quiz": "law-1", "score": 10, "max_score": 10}),
            now_event("e3", "S001", "lecture_given", {}),
            now_event("e4", "S001", "quiz", {"quiz": "law-1", "score": 9, "max_score": 10}),
        ]
    )
    assert jobs.drain_projection()["applied"] == 4
    return points


def leaderboard(tmp_path: Path, redis_url: str, leaderboard_db: str, points_url: str) -> Flask:
    env = {"VAR_DIR": str(tmp_path), "REDIS_URL": redis_url, "POINTS_URL": points_url}
    settings = Settings.from_env(env)
    return create_app(
        settings.with_overrides(
            database_urls={**settings.database_urls, "leaderboard": leaderboard_db}
        )
    )


@pytest.fixture
def client(
    projected: PointsService, tmp_path: Path, redis_url: str, leaderboard_db: str
) -> Iterator[FlaskClient]:
    app = leaderboard(tmp_path, redis_url, leaderboard_db, projected.url)
    yield app.test_client()
    app.extensions["db"].dispose()


def catch_up(client: FlaskClient, staff_no: str, query: str = "") -> dict:
    response = client.get(f"/api/v1/members/{staff_no}/catch-up?{query}")
    assert response.status_code == 200, response.get_json()
    body: dict = response.get_json()
    return body


def test_the_gap_and_what_the_caps_still_allow_today(client: FlaskClient) -> None:
    body = catch_up(client, "S001")
    assert (body["rank"], body["points"]) == (2, 11)
    assert body["next"] == {"rank": 1, "member": "S002", "name": "Wang Wei", "points": 18, "gap": 7}
    remaining = body["remaining_today"]
    assert body["remaining_today_unavailable"] is None
    assert remaining["member"] == "S001" and remaining["rule_version"] == 2
    rooms = {
        name: (t["remaining"], t["best_award"]) for name, t in remaining["event_types"].items()
    }
    assert rooms == {
        "attendance": (None, 2),
        "quiz": (6, 6),
        "practice_report": (None, 8),
        "lecture_given": (3, 3),
    }
    assert remaining["categories"]["study"]["cap"] == {
        "scope": "category:study",
        "per": "day",
        "limit": 8,
        "used": 5,
        "remaining": 3,
    }
    assert body["message"] == "7 points behind #1; today's practice report can still earn 8"


def test_a_category_board_counts_only_its_own_earnings(client: FlaskClient) -> None:
    body = catch_up(client, "S001", "category=quiz")
    assert set(body["remaining_today"]["event_types"]) == {"quiz"}
    assert set(body["remaining_today"]["categories"]) == {"quiz"}
    assert body["message"] == "4 points behind #1; today's quiz can still earn 6"
    leader = catch_up(client, "S002", "category=quiz")
    assert leader["next"] is None
    assert leader["message"] == "Top of the board; today's quiz can still earn 2"  # 10 of 12


def test_a_member_points_does_not_know(client: FlaskClient) -> None:
    body = catch_up(client, "S999")
    assert (body["rank"], body["next"], body["remaining_today"]) == (None, None, None)
    assert body["remaining_today_unavailable"] == "The points service does not know this member."
    assert body["message"] == "Not on this board yet"


def test_points_down_still_answers_the_gap(
    projected: PointsService, tmp_path: Path, redis_url: str, leaderboard_db: str
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    app = leaderboard(tmp_path, redis_url, leaderboard_db, closed)
    started = time.monotonic()
    body = catch_up(app.test_client(), "S001")
    assert time.monotonic() - started < 3
    assert body["next"]["gap"] == 7 and body["remaining_today"] is None
    assert body["remaining_today_unavailable"] == "The points service is unavailable."
    assert body["message"] == "7 points behind #1"
    app.extensions["db"].dispose()


def test_the_openapi_document_describes_the_answer(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    schema = spec["components"]["schemas"]["CatchUp"]
    assert {"next", "remaining_today", "remaining_today_unavailable", "message"} <= set(
        schema["properties"]
    )
    remaining = spec["components"]["schemas"]["RemainingToday"]["properties"]
    assert {"day", "rule_version", "event_types", "categories"} <= set(remaining)
