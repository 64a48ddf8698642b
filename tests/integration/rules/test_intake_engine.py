"""Intake prices with the rule engine: once per thing, best attempts, caps, floors, badges,
explanations; state lives in SQL and survives across requests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from tests.integration.rules.conftest import Services, clock
from tests.rules_examples import document


def now_iso(minutes: int = 0) -> str:
    return (clock.now() - timedelta(minutes=minutes)).isoformat()


def event(kind: str, member: str = "S1", **data: Any) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "type": kind,
        "member": member,
        "occurred_at": now_iso(),
        "data": data,
    }


def quiz(score: int, name: str = "q1", member: str = "S1") -> dict[str, Any]:
    return event("quiz", member, quiz=name, score=score, max_score=100)


def entries(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for result in results for entry in result["entries"]]


def test_attendance_counts_once_per_session_whatever_the_sender_sends(services: Services) -> None:
    version = services.publish(document())
    first = services.post(event("attendance", status="on_time", session="s1"))
    again = services.post(event("attendance", status="on_time", session="s1"))
    assert entries(first)[0]["points"] == 2 and entries(first)[0]["rule_version"] == version
    repeat = entries(again)[0]
    assert repeat["points"] == 0
    assert "already counted for session s1" in repeat["reason"]
    assert repeat["detail"]["attempt"] == {
        "policy": "first",
        "session": "s1",
        "number": 2,
        "field": "session",
        "result": "repeat",
    }


def test_a_better_retake_earns_only_the_difference(services: Services) -> None:
    services.publish(document(badges=...))
    got = [entries(services.post(quiz(score)))[0]["points"] for score in (65, 92, 80, 100)]
    assert got == [3, 3, 0, 4]
    assert services.ledger("S1")["total_points"] == 10  # the best attempt's points


def test_a_cap_stops_awards_and_says_so(services: Services) -> None:
    services.publish(document())
    results = services.post(*[event("lecture_given", topic=str(i)) for i in range(3)])
    got = [e["points"] for e in entries(results)]
    assert got == [5, 3, 0]
    last = entries(results)[-1]
    assert "daily cap reached" in last["reason"]
    assert last["detail"]["cap"] == {
        "scope": "category:study",
        "per": "day",
        "limit": 8,
        "used_before": 8,
        "used": 8,
        "remaining": 0,
        "reached": True,
    }
    # The next request sees the cap used up: the state is in SQL, not in the request.
    assert entries(services.post(event("lecture_given")))[0]["points"] == 0


def test_penalties_stop_at_the_floor(services: Services) -> None:
    services.publish(document())
    results = services.post(
        *[event("attendance", status="absent", session=f"s{i}") for i in range(3)]
    )
    assert [e["points"] for e in entries(results)] == [-5, -3, 0]
    assert "monthly attendance floor -8 reached" in entries(results)[1]["reason"]


def test_badges_are_awarded_once_per_window_with_titles(services: Services) -> None:
    services.publish(document())
    results = services.post(quiz(100, "a"), quiz(100, "b"), quiz(100, "c"))
    badges = [e for e in entries(results) if e["detail"]["kind"] == "badge"]
    assert len(badges) == 1 and badges[0]["points"] == 5
    assert badges[0]["reason"].startswith("Badge earned: Quiz master (测验达人)")
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert [b["code"] for b in profile["badges"]] == ["quiz_master"]
    assert profile["badges"][0]["title"] == {"zh": "测验达人", "en": "Quiz master"}
    assert profile["total_points"] == 35
    assert profile["level"]["title"]["en"] == "Regular learner"
    assert profile["streak"]["current"] == 1


def test_a_batch_and_its_replay_award_once(services: Services) -> None:
    services.publish(document())
    batch = [event("lecture_given", topic=str(i)) for i in range(4)]
    first = services.points.post("/api/v1/events", json={"events": batch}).get_json()
    again = services.points.post("/api/v1/events", json={"events": batch}).get_json()
    assert again["duplicates"] == 4
    assert [r["entries"] for r in again["results"]] == [r["entries"] for r in first["results"]]
    assert services.ledger("S1")["total_points"] == 8


def test_racing_requests_never_pass_a_cap_together(services: Services) -> None:
    from concurrent.futures import ThreadPoolExecutor

    services.publish(document())

    def post_one(index: int) -> int:
        answer = services.points.post("/api/v1/events", json=event("lecture_given", n=index))
        assert answer.status_code == 201, answer.get_json()
        return int(answer.get_json()["entries"][0]["points"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        awarded = list(pool.map(post_one, range(16)))
    assert sum(awarded) == 8 and services.ledger("S1")["total_points"] == 8
