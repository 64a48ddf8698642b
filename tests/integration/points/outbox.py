"""Filling and emptying the projection outbox as the intake and a drain would, for the tests
of its feeds and of its metrics."""

from __future__ import annotations

from flask.testing import FlaskClient


def post_quizzes(client: FlaskClient, n: int, member: str = "S001") -> None:
    events = [
        {
            "id": f"feed-{member}-{i}",
            "type": "quiz",
            "member": member,
            "occurred_at": "2026-11-25T20:00:00+00:00",  # 26 Nov in Shanghai
            "data": {"quiz": "q", "score": 100, "max_score": 100},
        }
        for i in range(n)
    ]
    assert client.post("/api/v1/events", json={"events": events}).status_code == 201


def settle(client: FlaskClient, count: int | None = None) -> list[int]:
    """Acknowledge the oldest ``count`` outbox rows (all by default), as a drain would;
    returns their entry ids."""
    outbox = client.get("/internal/v1/outbox").get_json()["items"][:count]
    answer = client.post("/internal/v1/outbox/ack", json={"ids": [i["outbox_id"] for i in outbox]})
    assert answer.get_json() == {"deleted": len(outbox)}
    return [item["entry"]["id"] for item in outbox]
