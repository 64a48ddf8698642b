"""A kept quiz and the rules' attempt policies: scores sent without max_score (filled in from
the quiz) are priced, repeated and counted once per quiz exactly as before."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.rules.conftest import Services, clock
from tests.rules_examples import default_rule, default_with


def keep(services: Services, code: str) -> None:
    now = clock.now()
    body = {
        "id": code,
        "title": code,
        "opens_at": (now - timedelta(hours=2)).isoformat(),
        "closes_at": (now + timedelta(hours=2)).isoformat(),
        "max_score": 20,
        "pass_mark": 12,
        "units": ["north"],
    }
    answer = services.points.post("/api/v1/quizzes", json=body, headers={"X-Scopes": "admin"})
    assert answer.status_code == 201, answer.get_json()


def attempt(code: str, value: int) -> dict[str, Any]:
    """Sent now: after the rule set just published took effect."""
    return {
        "id": uuid.uuid4().hex,
        "type": "quiz",
        "member": "S1",
        "occurred_at": clock.now().isoformat(),
        "data": {"quiz": code, "score": value},
    }


@pytest.mark.parametrize(
    ("policy", "earned"),
    [
        ("first", [1, 0, 0]),  # 10/20, 18/20, 20/20: only the first counts
        ("best", [1, 5, 4]),  # each better attempt adds what it improves: 1, 6, 10 in all
        ("pass", [0, 6, 0]),  # the first at or above 60% (of the quiz's 20) earns
    ],
)
def test_attempt_policies_hold_for_a_kept_quiz(
    services: Services, policy: str, earned: list[int]
) -> None:
    extra = {"pass_percent": 60} if policy == "pass" else {}
    rule = default_rule("quiz", once_per="quiz", attempts=policy, **extra)
    services.publish(default_with(quiz=rule))
    keep(services, "kept")
    results = [services.post(attempt("kept", value))[0] for value in (10, 18, 20)]
    assert [r["entries"][0]["points"] for r in results] == earned
    assert all(r["event"]["data"]["max_score"] == 20 for r in results)
