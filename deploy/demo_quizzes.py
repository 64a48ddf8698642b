"""make demo's quizzes: an announced one last week for everyone, and a pop quiz open now for the
North District, with scores inside each window. Running it again changes nothing: the quizzes
exist (409), and the scores, placed by the windows as kept, are replays."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo


class Calls(Protocol):
    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]: ...


def quizzes(gateway: Calls, members: list[dict[str, Any]], zone: str) -> None:
    now = datetime.now(ZoneInfo(zone)).replace(second=0, microsecond=0)
    last_week = (now - timedelta(days=7)).replace(hour=14, minute=0)
    regions = sorted({m["unit"].split("-")[0] for m in members})
    kept = [
        _keep(gateway, "demo-regulations", "Regulations, announced", last_week, 2, regions, False),
        _keep(gateway, "demo-pop-safety", "Site safety, pop quiz", now - timedelta(hours=1), 3,
              ["north"], True),
    ]  # fmt: skip
    rng = random.Random(11)
    events = [
        _score(quiz, member, rng)
        for quiz in kept
        for member in members
        if member["unit"].split("-")[0] in quiz["units"] and rng.random() < 0.8
    ]
    status, body = gateway.call("POST", "/api/v1/events", {"events": events})
    print(f"quizzes {', '.join(q['id'] for q in kept)}: {len(events)} scores, {status}")
    status, figures = gateway.call("GET", "/api/v1/quizzes/demo-pop-safety/figures")
    if status == 200:
        row = figures["overall"]
        print(
            f"  pop quiz: {row['invited']} invited, {row['took_part']} took part, "
            f"{row['passed']} passed, average {row['average_percent']}%"
        )


def _keep(
    gateway: Calls,
    code: str,
    title: str,
    opens: datetime,
    hours: int,
    units: list[str],
    pop: bool,
) -> dict[str, Any]:
    body = {
        "id": code, "title": title, "opens_at": opens.isoformat(),
        "closes_at": (opens + timedelta(hours=hours)).isoformat(),
        "max_score": 100, "pass_mark": 60, "units": units, "pop": pop,
    }  # fmt: skip
    status, made = gateway.call("POST", "/api/v1/quizzes", body)
    if status == 409:  # a second run: the quiz as first kept
        status, made = gateway.call("GET", f"/api/v1/quizzes/{code}")
    if status not in (200, 201):
        raise SystemExit(f"quiz {code} failed with {status}: {made}")
    quiz: dict[str, Any] = made
    return quiz


def _score(quiz: dict[str, Any], member: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    opens = datetime.fromisoformat(quiz["opens_at"])
    return {
        "id": f"{quiz['id']}-{member['staff_no']}",
        "type": "quiz",
        "member": member["staff_no"],
        "occurred_at": (opens + timedelta(minutes=rng.randint(5, 55))).isoformat(),
        "data": {"quiz": quiz["id"], "score": rng.randint(35, 100)},
    }
