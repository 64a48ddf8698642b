"""The rest of the generated organisation's quarter, beside the ledger (bench/figures_fill.py):
a closed weekly study session for one branch after another, with everyone of the branch
expected and most of them present; three quizzes, each member attempting one of them
(once); a practice report by one member in ten. Each attendance and each attempt is an
event, as when the platform records it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bench.figures_fill import QUARTER, Shape, insert, member_unit
from services.points.models import Event
from services.points.quizzes.models import Quiz
from services.points.reports.models import Report
from services.points.sessions.models import Attendance, StudySession

WEEKS = 13
START = datetime(QUARTER[0].year, QUARTER[0].month, QUARTER[0].day, 1, tzinfo=UTC)


def _sessions() -> Iterator[dict[str, Any]]:
    for w in range(WEEKS):
        at = START + timedelta(weeks=w)
        yield {
            "id": w + 1,
            "title": f"Week {w + 1}",
            "starts_at": at,
            "grace_minutes": 10,
            "ends_at": at + timedelta(hours=1),
            "created_by": "bench",
            "closed_at": at + timedelta(hours=2),
        }


def _branch_of(shape: Shape, member: int) -> int:
    return (member_unit(shape, member) - 2 - shape.branches) // shape.teams


def _event(i: int, kind: str, member: int, at: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": i,
        "sender": "bench",
        "external_id": f"{kind}-{i}",
        "type": kind,
        "member_id": member,
        "occurred_at": at,
        "data": data,
        "payload_hash": "0" * 64,
    }


def _attendance(
    shape: Shape, rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for m in range(1, shape.members + 1):
        for w in range(_branch_of(shape, m), WEEKS, shape.branches):
            status = rng.choice(("on_time", "on_time", "late", "absent"))
            at = START + timedelta(weeks=w)
            events.append(_event(len(events) + 1, "attendance", m, at, {"session": w + 1}))
            rows.append(
                {
                    "session_id": w + 1,
                    "member_id": m,
                    "status": status,
                    "event_id": len(events),
                    "expected": True,
                }
            )
    return events, rows


def _quizzes() -> Iterator[dict[str, Any]]:
    for q in range(3):
        opens = START + timedelta(weeks=4 * q)
        yield {
            "id": q + 1,
            "code": f"q{q + 1}",
            "title": f"Quiz {q + 1}",
            "opens_at": opens,
            "closes_at": opens + timedelta(weeks=2),
            "max_score": 100.0,
            "pass_mark": 60.0,
            "created_by": "bench",
        }


def _attempts(shape: Shape, rng: random.Random, first: int) -> Iterator[dict[str, Any]]:
    i = first
    for q in range(3):
        opens = START + timedelta(weeks=4 * q, hours=3)
        for m in range(1 + q, shape.members + 1, 3):
            data = {"quiz": f"q{q + 1}", "score": float(rng.randint(40, 100))}
            yield _event(i, "quiz", m, opens + timedelta(days=rng.randrange(10)), data)
            i += 1


def _reports(shape: Shape, rng: random.Random) -> Iterator[dict[str, Any]]:
    for m in range(10, shape.members + 1, 10):
        at = START + timedelta(days=rng.randrange(90))
        yield {
            "member_id": m,
            "unit_id": member_unit(shape, m),
            "title": "Practice",
            "state": rng.choice(("approved", "submitted")),
            "learned_kind": "text",
            "learned_text": "-",
            "applied": "-",
            "result": "-",
            "links": {"items": []},
            "submitted_at": at,
            "exemplary_by": "bench" if m % 30 == 0 else None,
        }


def fill_activity(engine: Engine, shape: Shape, seed: int = 11) -> None:
    rng = random.Random(seed)
    insert(engine, StudySession, _sessions())
    events, rows = _attendance(shape, rng)
    insert(engine, Event, iter(events))
    insert(engine, Attendance, iter(rows))
    insert(engine, Quiz, _quizzes())
    insert(engine, Event, _attempts(shape, rng, len(events) + 1))
    insert(engine, Report, _reports(shape, rng))
