"""Fault drills: each test gets the whole platform as real processes on free ports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.common.config import Settings
from tests.drills.harness import Drill
from tests.support import free_port

pytestmark = pytest.mark.drills


@pytest.fixture
def drill(tmp_path: Path) -> Iterator[Drill]:
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
        WEB_WORKERS="2",
        LOG_LEVEL="warning",
    )
    platform = Drill(tmp_path, env, Settings.from_env(env), redis_port)
    try:
        platform.start_all()
        yield platform
    finally:
        platform.stop_all()
