"""Fixtures for the leaderboard's integration tests: ledger entries, the projection lock, the
real points service served over HTTP, and the jobs' environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.config import Settings
from services.leaderboard.app import create_app
from services.leaderboard.keys import LOCK
from tests.integration.leaderboard.ledger import MEMBERS, UNITS, PointsService
from tests.support import serving

TOKEN = "token-of-this-test"


def make_entry(
    entry_id: int,
    member: str = "S0001",
    points: int = 5,
    *,
    category: str = "quiz",
    unit_path: tuple[str, ...] = ("north", "north-ops"),
    local_date: str = "2026-11-26",
    name: str | None = None,
) -> dict:
    return {
        "id": entry_id,
        "member": member,
        "member_name": name or f"Name of {member}",
        "unit_path": list(unit_path),
        "category": category,
        "points": points,
        "local_date": local_date,
    }


@pytest.fixture
def lock_token(redis: Redis) -> str:
    """Hold the projection lock as a drain would (no expiry: the test decides when it goes)."""
    redis.set(LOCK, TOKEN)
    return TOKEN


@pytest.fixture
def app(redis: Redis, redis_url: str, tmp_path: Path) -> Flask:
    settings = Settings.from_env({"VAR_DIR": str(tmp_path), "REDIS_URL": redis_url})
    return create_app(settings)


@pytest.fixture
def points(
    org: FlaskClient,
    points_app: Flask,
    redis_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PointsService]:
    """The real points service over real HTTP (pricing with the real rewards service), with
    the jobs' environment pointing at it and at the test Redis."""
    for unit in UNITS:
        assert org.post("/api/v1/units", json=unit).status_code == 201
    for member in MEMBERS:
        assert org.post("/api/v1/members", json=member).status_code == 201
    with serving(points_app) as url:
        monkeypatch.setenv("REDIS_URL", redis_url)
        monkeypatch.setenv("POINTS_URL", url)
        yield PointsService(url, points_app)
