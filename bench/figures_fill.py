"""A generated organisation for the figures bench, written fast: the real migrations first,
then bulk inserts (executemany in large batches) straight into the tables, bypassing the
ledger's rules, which the figures never look at.

The shape: one root, ``branches`` second-level units, each with ``teams`` third-level units;
members spread evenly over the third level, one in twenty a leader; ledger entries spread
over the quarter's days; a weekly study session per branch with everyone under it expected;
quizzes with attempts (events) and practice reports for a share of the members."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from services.points.models import LedgerEntry, Member, Unit

QUARTER = (date(2026, 7, 1), date(2026, 9, 30))
BATCH = 20_000


@dataclass(frozen=True)
class Shape:
    members: int
    ledger_rows: int
    branches: int = 10
    teams: int = 10


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(engine: Engine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    target: Table = table.__table__
    with engine.begin() as conn:
        for batch in _batches(rows):
            conn.execute(target.insert(), batch)


def _units(shape: Shape) -> Iterator[dict[str, Any]]:
    yield {"id": 1, "code": "org", "name": "Organisation", "parent_id": None}
    for b in range(shape.branches):
        yield {"id": 2 + b, "code": f"b{b}", "name": f"Branch {b}", "parent_id": 1}
    for b in range(shape.branches):
        for t in range(shape.teams):
            unit_id = team_id(shape, b, t)
            yield {"id": unit_id, "code": f"b{b}t{t}", "name": f"Team {b}.{t}", "parent_id": 2 + b}


def team_id(shape: Shape, branch: int, team: int) -> int:
    return 2 + shape.branches + branch * shape.teams + team


def member_unit(shape: Shape, member_id: int) -> int:
    teams = shape.branches * shape.teams
    slot = (member_id - 1) % teams
    return team_id(shape, slot // shape.teams, slot % shape.teams)


def _members(shape: Shape) -> Iterator[dict[str, Any]]:
    for m in range(1, shape.members + 1):
        yield {
            "id": m,
            "staff_no": f"S{m:07d}",
            "name": f"Member {m}",
            "unit_id": member_unit(shape, m),
            "active": m % 50 != 0,
            "leader": m % 20 == 0,
        }


def _ledger(shape: Shape, rng: random.Random) -> Iterator[dict[str, Any]]:
    days = (QUARTER[1] - QUARTER[0]).days + 1
    for i in range(1, shape.ledger_rows + 1):
        member = rng.randint(1, shape.members)
        day = QUARTER[0] + timedelta(days=rng.randrange(days))
        at = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
        yield {
            "id": i,
            "member_id": member,
            "unit_id": member_unit(shape, member),
            "category": "study",
            "points": -2 if i % 25 == 0 else rng.choice((1, 2, 5)),
            "rule_version": 1,
            "reason": "bench",
            "detail": {},
            "occurred_at": at,
            "local_date": day,
        }


def fill(engine: Engine, shape: Shape, seed: int = 7) -> None:
    rng = random.Random(seed)
    insert(engine, Unit, _units(shape))
    insert(engine, Member, _members(shape))
    insert(engine, LedgerEntry, _ledger(shape, rng))
