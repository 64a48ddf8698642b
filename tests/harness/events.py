"""Events the harness's users post: a quiz answer is the plainest one the default rules price."""

from __future__ import annotations

from typing import Any


def quiz(
    event_id: str, member: str, score: int = 95, at: str = "2026-11-20T09:00:00+08:00"
) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "quiz",
        "member": member,
        "occurred_at": at,
        "data": {"quiz": f"q-{event_id}", "score": score, "max_score": 100},
    }
