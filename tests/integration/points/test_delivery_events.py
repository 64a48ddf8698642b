"""The platform's changes cause their outbound events in their own transaction: a badge earned
under published rules, a study session closed with its absences; a commit asks for a sweep,
the ticker asks for one too, and a real RQ worker runs it and delivers over HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from redis import Redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from services.common.http import ServiceClient
from services.common.queues import queue
from services.contracts import DEFAULT, DELIVERY_JOB, DELIVERY_PENDING, internal_signer
from services.leaderboard.ticker import request_delivery
from services.points.delivery.sweep import sweep_with
from services.points.sessions.jobs import close_due_with
from services.settings import Settings
from tests.integration.points.reports import ORG_ADMIN
from tests.integration.points.sessions_help import schedule
from tests.receivers import Receiver, http_receiver
from tests.rules_examples import document


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str) -> Settings:
    """Rules refreshed on every call, so a version published in the test applies at once."""
    urls = {**settings.service_urls, "rewards": rewards_url}
    return settings.with_overrides(service_urls=urls, rules_cache_seconds=0)


def subscribe(client: FlaskClient, receiver: Receiver, *events: str) -> None:
    body = {"name": "Feed", "kind": "webhook", "target": receiver.url, "events": list(events)}
    assert client.post("/api/v1/subscriptions", json=body, headers=ORG_ADMIN).status_code == 201


def events_of(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(a.body) for a in receiver.arrivals]


def test_a_badge_earned_is_delivered(
    org: FlaskClient, rewards_url: str, points_settings: Settings
) -> None:
    signer = internal_signer(points_settings)
    ServiceClient("rewards", rewards_url, signer=signer).post(
        "/api/v1/rulesets", {"name": "with badges", "document": document(campaigns=...)}
    )
    with http_receiver() as receiver:
        subscribe(org, receiver, "badge.earned")
        for n in (1, 2):  # two full marks in a month: the quiz master badge
            event = {
                "id": f"quiz-{n}", "type": "quiz", "member": "S001",
                "occurred_at": datetime.now(UTC).isoformat(),  # under the new version
                "data": {"quiz": f"law-{n}", "score": 100, "max_score": 100},
            }  # fmt: skip
            assert org.post("/api/v1/events", json=event).status_code == 201
        assert sweep_with(points_settings)["delivered"] == 1
    (event,) = events_of(receiver)
    assert event["kind"] == "badge.earned"
    assert {k: event["data"][k] for k in ("member", "unit", "badge")} == {
        "member": "S001",
        "unit": "north-ops",
        "badge": "quiz_master",
    }


def test_a_level_reached_is_delivered_once_when_the_points_cross_its_threshold(
    org: FlaskClient, rewards_url: str, points_settings: Settings
) -> None:
    signer = internal_signer(points_settings)
    ServiceClient("rewards", rewards_url, signer=signer).post(
        "/api/v1/rulesets", {"name": "with levels", "document": document(campaigns=...)}
    )
    # Levels at 0, 20 and 100 points; a full-marks quiz is worth 10. So the first quiz keeps
    # S001 at level 1 (10 points), the second takes them to level 2 (20 and up), the third
    # (30 and up) is still level 2: one event.
    with http_receiver() as receiver:
        subscribe(org, receiver, "level.reached")
        for n in (1, 2, 3):
            event = {
                "id": f"level-{n}", "type": "quiz", "member": "S001",
                "occurred_at": datetime.now(UTC).isoformat(),
                "data": {"quiz": f"levels-{n}", "score": 100, "max_score": 100},
            }  # fmt: skip
            assert org.post("/api/v1/events", json=event).status_code == 201
        assert sweep_with(points_settings)["delivered"] == 1
    (event,) = events_of(receiver)
    assert event["kind"] == "level.reached"
    data = event["data"]
    assert (data["member"], data["level"], data["title"]["zh"]) == ("S001", 2, "学习骨干")
    assert 20 <= data["points"] < 100


def test_a_closed_session_is_delivered_with_its_absences(
    org: FlaskClient, points_settings: Settings
) -> None:
    study = schedule(org, ["north"])
    with http_receiver() as receiver:
        subscribe(org, receiver, "session.closed")
        later = datetime.now(UTC) + timedelta(hours=2)
        assert study["id"] in close_due_with(points_settings, later)["closed"]
        close_due_with(points_settings, later + timedelta(hours=1))  # closed: nothing more
        assert sweep_with(points_settings)["delivered"] == 1
    (event,) = events_of(receiver)
    assert event["kind"] == "session.closed" and event["data"]["session"] == study["id"]
    assert event["data"]["absent"] == [{"member": "S001", "name": "Li Na", "unit": "north-ops"}]


def test_the_commit_and_the_ticker_ask_for_a_sweep_a_real_worker_runs(
    org: FlaskClient,
    redis: Redis,
    redis_url: str,
    points_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with http_receiver(500) as receiver:
        subscribe(org, receiver, "session.closed")
        study = schedule(org, ["south"])
        closed = org.post(f"/api/v1/sessions/{study['id']}/close", headers=ORG_ADMIN)
        assert closed.status_code == 200, closed.get_json()
        # The request's commit asked for a sweep already.
        assert [j.func_name for j in queue(DEFAULT, redis).get_jobs()] == [DELIVERY_JOB]
        queue(DEFAULT, redis).empty()
        monkeypatch.setenv("POINTS_DATABASE_URL", points_settings.database_url("points"))
        monkeypatch.setenv("REDIS_URL", redis_url)
        monkeypatch.setenv("DELIVERY_BACKOFF_SECONDS", "0")
        redis.delete(DELIVERY_PENDING)
        assert request_delivery(redis, 60) is True
        assert request_delivery(redis, 60) is False  # one is waiting already
        assert [j.func_name for j in queue(DEFAULT, redis).get_jobs()] == [DELIVERY_JOB]
        worker = SimpleWorker([queue(DEFAULT, redis)], connection=redis, serializer=JSONSerializer)
        worker.work(burst=True)  # the first attempt fails (500)
        assert not redis.exists(DELIVERY_PENDING)
        assert request_delivery(redis, 60) is True  # the ticker's next sweep
        worker.work(burst=True)
    assert len(receiver.arrivals) == 2
    assert len({a.headers["X-Delivery-Id"] for a in receiver.arrivals}) == 1
    (item,) = org.get("/api/v1/deliveries").get_json()["items"]
    assert item["state"] == "delivered" and [a["status_code"] for a in item["log"]] == [500, 200]
