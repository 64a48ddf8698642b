"""What a member can still earn today, from the cap usage intake wrote, on a real database with
rules published to the real rewards service over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.common.calendar import today
from services.common.http import ServiceClient
from services.contracts import internal_signer
from services.settings import Settings
from tests.rules_examples import document

# The shared example set with a daily study cap of 8, a weekly quiz cap of 12 and no campaign.
CAPPED = document(
    caps=[
        {"category": "study", "per": "day", "points": 8},
        {"event_type": "quiz", "per": "week", "points": 12},
    ],
    campaigns=...,
)
PATH = "/internal/v1/members/{}/remaining-today"


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str) -> Settings:
    """Rules refreshed on every call, so a version published in the test applies at once."""
    urls = {**settings.service_urls, "rewards": rewards_url}
    return settings.with_overrides(service_urls=urls, rules_cache_seconds=0)


def publish(rewards_url: str, rules: dict[str, Any], settings: Settings) -> int:
    signer = internal_signer(settings)
    answer = ServiceClient("rewards", rewards_url, signer=signer).post(
        "/api/v1/rulesets", {"name": "capped", "document": rules}
    )
    return int(answer["version"])


def post_now(client: FlaskClient, event_id: str, event_type: str, data: dict[str, Any]) -> None:
    event = {
        "id": event_id,
        "type": event_type,
        "member": "S001",
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": data,
    }
    response = client.post("/api/v1/events", json=event)
    assert response.status_code == 201, response.get_json()


def test_caps_partly_used_today_leave_the_rest(
    org: FlaskClient, rewards_url: str, settings: Settings
) -> None:
    version = publish(rewards_url, CAPPED, settings)
    post_now(org, "lecture-1", "lecture_given", {})  # +5 of the daily study cap of 8
    post_now(org, "quiz-1", "quiz", {"quiz": "law-101", "score": 9, "max_score": 10})  # +6 of 12
    response = org.get(PATH.format("S001"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["member"], body["rule_version"]) == ("S001", version)
    assert body["day"] == today("Asia/Shanghai").isoformat()
    lecture, quiz = body["event_types"]["lecture_given"], body["event_types"]["quiz"]
    assert (lecture["remaining"], lecture["best_award"]) == (3, 3)
    assert lecture["cap"] == {
        "scope": "category:study",
        "per": "day",
        "limit": 8,
        "used": 5,
        "remaining": 3,
    }
    assert (quiz["remaining"], quiz["best_award"], quiz["cap"]["used"]) == (6, 6, 6)
    practice = body["event_types"]["practice_report"]
    assert (practice["remaining"], practice["best_award"], practice["cap"]) == (None, 8, None)
    assert {name: c["remaining"] for name, c in body["categories"].items()} == {
        "attendance": None,
        "practice": None,
        "quiz": 6,
        "study": 3,
    }
    # Another member has used nothing.
    other = org.get(PATH.format("S002")).get_json()
    assert other["event_types"]["quiz"]["remaining"] == 12
    assert other["event_types"]["quiz"]["best_award"] == 10


def test_without_caps_nothing_is_limited(org: FlaskClient, rewards_url: str) -> None:
    post_now(org, "quiz-1", "quiz", {"quiz": "law-101", "score": 10, "max_score": 10})
    body = org.get(PATH.format("S001")).get_json()
    assert body["rule_version"] == 1  # the default set: no caps
    assert {name: (t["remaining"], t["best_award"]) for name, t in body["event_types"].items()} == {
        "attendance": (None, 2),
        "quiz": (None, 10),
        "practice_report": (None, 8),
    }
    assert all(c["remaining"] is None and c["cap"] is None for c in body["categories"].values())


def test_an_unknown_member_is_a_404(org: FlaskClient) -> None:
    response = org.get(PATH.format("S999"))
    assert response.status_code == 404
    assert response.get_json() == {
        "code": 404,
        "status": "Not Found",
        "message": "No member 'S999'.",
    }
