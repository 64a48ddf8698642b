"""A realistic organisation and bulk data for the benchmark.

Units (three regions, three departments each, two teams per department) are created through
the API. Members and ledger rows for the read and rebuild benchmarks are written in bulk
straight into the points database, and read boards straight into Redis with pipelines: that
sets the stage in seconds instead of hours, and is not what is being measured. Intake is
always measured through HTTP.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from redis import Redis
from sqlalchemy import insert, select

from services.common.db import make_engine
from services.leaderboard.keys import NAMES
from services.points.models import LedgerEntry, Member, Unit
from tests.harness import Platform

REGIONS = ("north", "south", "east")
DEPARTMENTS = ("ops", "admin", "service")
TEAMS = ("a", "b")
CHUNK = 20_000
CATEGORIES = (("attendance", 2), ("quiz", 6), ("practice", 5))


def teams() -> list[str]:
    return [f"{r}-{d}-{t}" for r in REGIONS for d in DEPARTMENTS for t in TEAMS]


def create_units(platform: Platform, admin_key: str) -> None:
    """The unit tree, through the API as an admin would create it."""
    for region in REGIONS:
        _post(platform, admin_key, {"code": region, "name": region.title()})
        for dept in DEPARTMENTS:
            code = f"{region}-{dept}"
            _post(platform, admin_key, {"code": code, "name": code, "parent": region})
            for team in TEAMS:
                _post(
                    platform,
                    admin_key,
                    {"code": f"{code}-{team}", "name": f"{code}-{team}", "parent": code},
                )


def _post(platform: Platform, key: str, body: dict[str, Any]) -> None:
    status, answer, _ = platform.call("POST", "/api/v1/units", body, key, timeout=30)
    assert status == 201, (status, answer)


def staff_no(prefix: str, i: int) -> str:
    return f"{prefix}{i:07d}"


def insert_members(database_url: str, prefix: str, count: int) -> list[int]:
    """``count`` members spread over the teams; returns their database ids in order."""
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        unit_ids = [conn.scalar(select(Unit.id).where(Unit.code == code)) for code in teams()]
        for start in range(0, count, CHUNK):
            rows = [
                {
                    "staff_no": staff_no(prefix, i),
                    "name": f"Member {prefix}{i}",
                    "unit_id": unit_ids[i % len(unit_ids)],
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(count, start + CHUNK))
            ]
            conn.execute(insert(Member), rows)
        ids = list(
            conn.scalars(
                select(Member.id)
                .where(Member.staff_no.like(f"{prefix}%"))
                .order_by(Member.staff_no)
            )
        )
    engine.dispose()
    return ids


def insert_ledger(database_url: str, member_ids: list[int], entries: int, seed: int = 7) -> None:
    """``entries`` settled ledger rows (no outbox rows) over the last 60 days."""
    rng = random.Random(seed)
    engine = make_engine(database_url)
    today = date.today()
    with engine.begin() as conn:
        unit_of = _units_of(conn, member_ids)
        for start in range(0, entries, CHUNK):
            rows: list[dict[str, Any]] = []
            for _ in range(start, min(entries, start + CHUNK)):
                member = member_ids[rng.randrange(len(member_ids))]
                category, points = CATEGORIES[rng.randrange(3)]
                day = today - timedelta(days=rng.randrange(60))
                at = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
                rows.append(
                    {
                        "member_id": member,
                        "unit_id": unit_of[member],
                        "event_id": None,
                        "category": category,
                        "points": points,
                        "rule_version": 1,
                        "reason": "bench",
                        "detail": {},
                        "occurred_at": at,
                        "local_date": day,
                        "created_at": at,
                    }
                )
            conn.execute(insert(LedgerEntry), rows)
    engine.dispose()


def _units_of(conn: Any, member_ids: list[int]) -> dict[int, int]:
    low, high = min(member_ids), max(member_ids)
    rows = conn.execute(
        select(Member.id, Member.unit_id).where(Member.id >= low, Member.id <= high)
    )
    return dict(rows.all())


def load_board(redis: Redis, board: str, prefix: str, count: int, seed: int = 11) -> list[str]:
    """A board of ``count`` members with skewed points (many ties low down, few leaders)."""
    rng = random.Random(seed)
    pipe = redis.pipeline(transaction=False)
    names: dict[str, str] = {}
    scores: dict[str, float] = {}
    for i in range(count):
        member = staff_no(prefix, i)
        scores[member] = -int(rng.paretovariate(1.2) * 10)
        names[member] = f"Member {member}"
        if len(scores) >= CHUNK:
            pipe.zadd(board, scores)
            pipe.hset(NAMES, mapping=names)
            pipe.execute()
            scores, names = {}, {}
    if scores:
        pipe.zadd(board, scores)
        pipe.hset(NAMES, mapping=names)
        pipe.execute()
    return [staff_no(prefix, rng.randrange(count)) for _ in range(2000)]
