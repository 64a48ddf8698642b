"""The rewards API against a real database: reading, publishing, activation, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.common.db import Database
from services.rewards import rulesets
from services.rules.pricing import price
from tests.rules_examples import DEFAULT, default_rule, default_with


def publish(client: FlaskClient, expect: int = 201, **fields: Any) -> Any:
    body = {"name": "next", "document": default_with(), **fields}
    response = client.post("/api/v1/rulesets", json=body, headers={"X-Sender": "admin-console"})
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def active_version(client: FlaskClient) -> int:
    response = client.get("/api/v1/rulesets/active")
    assert response.status_code == 200
    version: int = response.get_json()["version"]
    return version


def test_a_fresh_database_holds_the_default_set(client: FlaskClient) -> None:
    items = client.get("/api/v1/rulesets").get_json()["items"]
    assert [(i["version"], i["name"], i["status"]) for i in items] == [(1, "default", "published")]
    assert "document" not in items[0]
    assert items[0]["effective_from"] == "2000-01-01T00:00:00+00:00"
    one = client.get("/api/v1/rulesets/1").get_json()
    assert one["document"] == DEFAULT
    assert client.get("/api/v1/rulesets/active").get_json() == one


@pytest.mark.parametrize(
    ("event_type", "data", "category", "points"),
    [
        ("attendance", {"status": "on_time"}, "attendance", 2),
        ("attendance", {"status": "late"}, "attendance", 0),
        ("attendance", {"status": "absent"}, "attendance", -3),
        ("attendance", {"status": "excused"}, "attendance", 0),
        ("quiz", {"score": 100, "max_score": 100}, "quiz", 10),
        ("quiz", {"score": 9, "max_score": 10}, "quiz", 6),
        ("quiz", {"score": 89.99, "max_score": 100}, "quiz", 3),
        ("quiz", {"score": 60, "max_score": 100}, "quiz", 3),
        ("quiz", {"score": 59, "max_score": 100}, "quiz", 1),
        ("practice_report", {"rating": "A"}, "practice", 8),
        ("practice_report", {"rating": "B"}, "practice", 5),
        ("practice_report", {"rating": "C"}, "practice", 2),
    ],
)
def test_the_default_set_prices_built_in_events(
    client: FlaskClient, event_type: str, data: dict[str, Any], category: str, points: int
) -> None:
    item = client.get("/internal/v1/rulesets/published").get_json()["items"][0]
    award = price(event_type, data, item["document"], item["version"])
    assert (award.category, award.points) == (category, points)
    assert "rule set v1" in award.reason


def test_publishing_makes_the_new_version_active(client: FlaskClient) -> None:
    before = datetime.now(UTC)
    quiz = default_rule("quiz", otherwise=0)
    created = publish(client, name=" spring ", document=default_with(quiz=quiz), notes="term 2")
    assert created["version"] == 2 and created["name"] == "spring"
    assert created["published_by"] == "admin-console" and created["notes"] == "term 2"
    assert created["document"]["event_types"]["quiz"]["otherwise"] == 0
    assert created["effective_from"] == created["published_at"] == created["created_at"]
    assert datetime.fromisoformat(created["effective_from"]) >= before
    assert active_version(client) == 2
    assert client.get("/api/v1/rulesets/2").get_json() == created


def test_a_future_version_leaves_the_current_one_active(client: FlaskClient) -> None:
    created = publish(client, effective_from=later(days=1))
    assert created["version"] == 2
    assert active_version(client) == 1
    versions = [i["version"] for i in client.get("/api/v1/rulesets").get_json()["items"]]
    assert versions == [2, 1]


def test_effective_from_is_stored_and_answered_in_utc(client: FlaskClient) -> None:
    created = publish(client, effective_from="2099-03-01T08:00:00+08:00")
    assert created["effective_from"] == "2099-03-01T00:00:00+00:00"
    again = client.get(f"/api/v1/rulesets/{created['version']}").get_json()
    assert again["effective_from"] == "2099-03-01T00:00:00+00:00"


def test_published_list_is_ordered_by_effective_from(client: FlaskClient, db: Database) -> None:
    far, near = later(days=20), later(days=10)
    assert publish(client, name="far", effective_from=far)["version"] == 2
    assert publish(client, name="near", effective_from=near)["version"] == 3
    # Same instant as v2: the higher version wins it, so v4 replaces v2 before it starts.
    assert publish(client, name="fix", effective_from=far)["version"] == 4
    items = client.get("/internal/v1/rulesets/published").get_json()["items"]
    assert [i["version"] for i in items] == [1, 3, 2, 4]
    assert set(items[0]) == {"version", "name", "effective_from", "document"}
    listed = client.get("/api/v1/rulesets").get_json()["items"]
    assert [i["version"] for i in listed] == [4, 3, 2, 1]
    now = datetime.now(UTC)
    with db.read() as session:
        at = {
            days: rulesets.in_force(session, now + timedelta(days=days)).version
            for days in (0, 15, 25)
        }
        assert at == {0: 1, 15: 3, 25: 4}
        assert rulesets.in_force(session, datetime(1990, 1, 1, tzinfo=UTC)).version == 1


def test_unknown_version_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/rulesets/42")
    assert response.status_code == 404
    assert response.get_json() == {
        "code": 404,
        "status": "Not Found",
        "message": "There is no rule set version 42.",
    }


def test_the_past_cannot_be_repriced(client: FlaskClient) -> None:
    found = publish(client, 422, effective_from=later(minutes=-1))
    assert found["errors"] == {
        "json": {"effective_from": ["Must not be in the past: omit it to publish now."]}
    }


@pytest.mark.parametrize(
    ("fields", "location"),
    [
        ({"effective_from": "2099-01-01T00:00:00"}, ["effective_from"]),
        ({"name": ""}, ["name"]),
        ({"document": None}, ["document"]),
        ({"document": {"event_types": {}}}, ["document", "event_types", "quiz"]),
        ({"rules": {}}, ["rules"]),
        (
            {
                "document": default_with(
                    quiz=default_rule("quiz", score_bands=[{"min_percent": 101}])
                )
            },
            ["document", "event_types", "quiz", "score_bands", "0", "min_percent"],
        ),
        (
            {"document": default_with(attendance=default_rule("attendance", by="mood"))},
            ["document", "event_types", "attendance", "by"],
        ),
    ],
)
def test_invalid_requests_are_refused_with_their_location(
    client: FlaskClient, fields: dict[str, Any], location: list[str]
) -> None:
    body = publish(client, 422, **fields)
    assert (body["code"], body["status"]) == (422, "Unprocessable Entity")
    found = body["errors"]["json"]
    for step in location:
        found = found[step]
    assert isinstance(found, list) and all(isinstance(m, str) for m in found)
    assert [i["version"] for i in client.get("/api/v1/rulesets").get_json()["items"]] == [1]


def test_the_example_error_shape_of_the_contract(client: FlaskClient) -> None:
    bands = [{"min_percent": 100, "points": 10}, {"min_percent": 190, "points": 6}]
    body = publish(client, 422, document=default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert body["errors"] == {
        "json": {
            "document": {
                "event_types": {
                    "quiz": {
                        "score_bands": {
                            "1": {
                                "min_percent": [
                                    "Must be greater than or equal to 0 and less than or "
                                    "equal to 100."
                                ]
                            }
                        }
                    }
                }
            }
        }
    }


def test_a_body_that_is_not_json_is_refused(client: FlaskClient) -> None:
    response = client.post("/api/v1/rulesets", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["code"] == 400


def test_published_by_is_optional(client: FlaskClient) -> None:
    response = client.post("/api/v1/rulesets", json={"name": "n", "document": default_with()})
    assert response.status_code == 201
    assert response.get_json()["published_by"] is None
