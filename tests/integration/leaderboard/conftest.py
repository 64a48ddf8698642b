"""Fixtures for the leaderboard's integration tests: the projection lock, the leaderboard's
own database and app, the real points service served over HTTP, and the jobs' environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.migrations import upgrade
from services.leaderboard.app import create_app
from services.leaderboard.keys import LOCK
from services.settings import Settings
from tests.integration.leaderboard.ledger import MEMBERS, UNITS, PointsService
from tests.support import free_port, serving

TOKEN = "token-of-this-test"


@pytest.fixture
def lock_token(redis: Redis) -> str:
    """Hold the projection lock as a drain would (no expiry: the test decides when it goes)."""
    redis.set(LOCK, TOKEN)
    return TOKEN


@pytest.fixture
def leaderboard_db(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """The leaderboard's own database, migrated; the jobs find it through the environment."""
    url = settings.database_url("leaderboard")
    upgrade("services.leaderboard", url)
    monkeypatch.setenv("LEADERBOARD_DATABASE_URL", url)
    return url


@pytest.fixture
def app(redis: Redis, redis_url: str, tmp_path: Path, leaderboard_db: str) -> Iterator[Flask]:
    """The leaderboard on its own: the points service it asks for catch-up's remaining-today
    is a closed port, never whatever happens to listen on the default one."""
    env = {"VAR_DIR": str(tmp_path), "REDIS_URL": redis_url}
    settings = Settings.from_env({**env, "POINTS_URL": f"http://127.0.0.1:{free_port()}"})
    settings = settings.with_overrides(
        database_urls={**settings.database_urls, "leaderboard": leaderboard_db}
    )
    app = create_app(settings)
    yield app
    app.extensions["db"].dispose()  # before the test database is dropped


@pytest.fixture
def points(
    org: FlaskClient,
    points_app: Flask,
    redis_url: str,
    leaderboard_db: str,
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
