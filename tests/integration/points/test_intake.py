"""Event intake on a real database: priced, recorded once, explained, refused cleanly."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import func, select

from services.points.models import Event, LedgerEntry, ProjectionOutbox


def quiz(event_id: str = "q-1", member: str = "S001", score: int = 92, **extra: Any) -> dict:
    return {
        "id": event_id,
        "type": "quiz",
        "member": member,
        "occurred_at": "2026-11-20T10:00:00+08:00",
        "data": {"quiz": "law-101", "score": score, "max_score": 100},
        **extra,
    }


def counts(app: Flask) -> tuple[int, int, int]:
    with app.extensions["db"].read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model))
            for model in (Event, LedgerEntry, ProjectionOutbox)
        )


def test_an_event_earns_explained_points_and_asks_for_projection(
    org: FlaskClient, points_app: Flask, redis: Redis
) -> None:
    response = org.post("/api/v1/events", json=quiz(), headers={"X-Sender": "quiz-platform"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["duplicate"] is False
    [entry] = body["entries"]
    assert entry["points"] == 6 and entry["category"] == "quiz" and entry["rule_version"] == 1
    assert entry["reason"] == "Quiz score 92/100 >= 90%: +6 points (rule set v1)"
    assert entry["local_date"] == "2026-11-20"
    assert counts(points_app) == (1, 1, 1)
    assert redis.exists("lb:projection:pending")
    history = org.get("/api/v1/members/S001/ledger").get_json()
    assert history["total_points"] == 6 and history["items"][0]["event_id"] == "q-1"


def test_a_replay_returns_the_first_result_and_awards_nothing(
    org: FlaskClient, points_app: Flask
) -> None:
    first = org.post("/api/v1/events", json=quiz()).get_json()
    again = org.post("/api/v1/events", json=quiz())
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["entries"] == first["entries"]
    assert counts(points_app) == (1, 1, 1)


def test_ids_are_unique_per_sender(org: FlaskClient, points_app: Flask) -> None:
    assert org.post("/api/v1/events", json=quiz(), headers={"X-Sender": "a"}).status_code == 201
    assert org.post("/api/v1/events", json=quiz(), headers={"X-Sender": "b"}).status_code == 201
    assert counts(points_app)[1] == 2


def test_the_same_id_with_other_content_is_a_conflict(org: FlaskClient, points_app: Flask):
    org.post("/api/v1/events", json=quiz(score=92))
    response = org.post("/api/v1/events", json=quiz(score=40))
    assert response.status_code == 409
    assert "other content" in response.get_json()["message"]
    assert counts(points_app) == (1, 1, 1)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (quiz(member="S404"), "member"),
        (quiz(member="S003"), "member"),  # inactive
        ({**quiz(), "type": "sleeping", "data": {}}, "type"),
        (
            {**quiz(), "type": "practice_report", "data": {"title": "t", "rating": "Z"}},
            "data",
        ),
        ({**quiz(), "occurred_at": "yesterday"}, "occurred_at"),
    ],
)
def test_bad_events_get_422_naming_the_field_and_change_nothing(
    org: FlaskClient, points_app: Flask, redis: Redis, event: dict, field: str
) -> None:
    redis.delete("lb:projection:pending")
    response = org.post("/api/v1/events", json=event)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and field in body["errors"]["json"]
    assert counts(points_app) == (0, 0, 0)
    assert not redis.exists("lb:projection:pending")


def test_non_json_bodies_are_refused_as_json(org: FlaskClient) -> None:
    wrong_type = org.post("/api/v1/events", data="id=1", content_type="text/plain")
    assert wrong_type.status_code == 415 and wrong_type.get_json()["code"] == 415
    broken = org.post("/api/v1/events", data=b"{\xff", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["code"] == 400


def test_a_batch_keeps_the_good_events_and_reports_the_bad_by_position(
    org: FlaskClient, points_app: Flask
) -> None:
    events = [quiz("b-1"), quiz("b-2", member="S404"), quiz("b-3", member="S002"), quiz("b-1")]
    response = org.post("/api/v1/events", json={"events": events})
    assert response.status_code == 207
    body = response.get_json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 1, 1)
    statuses = [r["status"] for r in body["results"]]
    assert statuses == [201, 422, 201, 200]
    assert body["results"][1]["errors"] == {"member": ["Unknown member 'S404'."]}
    assert counts(points_app) == (2, 2, 2)


def test_a_batch_with_nothing_good_is_refused_whole(org: FlaskClient, points_app: Flask):
    response = org.post("/api/v1/events", json={"events": [quiz(member="S404"), 7]})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]["events"]
    assert set(errors) == {"0", "1"}
    assert counts(points_app) == (0, 0, 0)


@pytest.mark.parametrize("events", [[], "nope", [quiz(f"x{i}") for i in range(1001)]])
def test_batch_size_is_bounded(org: FlaskClient, events: Any) -> None:
    response = org.post("/api/v1/events", json={"events": events})
    assert response.status_code == 422
    assert "events" in response.get_json()["errors"]["json"]


def test_a_replayed_batch_is_all_duplicates(org: FlaskClient, points_app: Flask) -> None:
    batch = {"events": [quiz(f"r-{i}") for i in range(50)]}
    assert org.post("/api/v1/events", json=batch).status_code == 201
    again = org.post("/api/v1/events", json=batch)
    assert again.status_code == 200 and again.get_json()["duplicates"] == 50
    assert counts(points_app) == (50, 50, 50)
