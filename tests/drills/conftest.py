"""Fault drills: each test gets the whole platform as real processes on free ports, on SQLite
(a file per service, as `make run` sets it up) and, when TEST_DATABASE_URL is set, on
PostgreSQL (every service in one private schema)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.settings import Settings
from tests.drills.harness import Drill
from tests.support import DATABASES, free_port, postgres_url, private_postgres_schema

pytestmark = pytest.mark.drills


@pytest.fixture(params=DATABASES)
def drill(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Drill]:
    if request.param == "sqlite":
        yield from _platform(tmp_path, None)
        return
    with private_postgres_schema(str(postgres_url())) as url:
        yield from _platform(tmp_path, url)


def _platform(tmp_path: Path, database_url: str | None) -> Iterator[Drill]:
    redis_port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            f"{name.upper()}_PORT": str(free_port())
            for name in ("gateway", "points", "rewards", "leaderboard")
        }
    )
    env.update(
        VAR_DIR=str(tmp_path),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        PROJECTION_INTERVAL="1",
        RULES_CACHE_SECONDS="1",
        DB_LOCK_TIMEOUT="2",  # a locked database answers 503 within two seconds
        WEB_WORKERS="2",
        LOG_LEVEL="warning",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    platform = Drill(tmp_path, env, Settings.from_env(env), redis_port)
    try:
        platform.start_all()
        yield platform
    finally:
        platform.stop_all()
