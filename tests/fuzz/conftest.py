"""The platform for fuzzing: real processes (as for the fault drills), one per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.settings import Settings
from tests.drills.harness import Drill
from tests.support import free_port


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    var_dir: Path = tmp_path_factory.mktemp("fuzz")
    redis_port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    services = ("gateway", "points", "rewards", "leaderboard")
    env.update({f"{name.upper()}_PORT": str(free_port()) for name in services})
    env.update(
        VAR_DIR=str(var_dir),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        MAX_BODY_BYTES=str(64 * 1024),
        LOG_LEVEL="warning",
    )
    drill = Drill(var_dir, env, Settings.from_env(env), redis_port)
    try:
        drill.start_all()
        drill.setup_org(3)
        yield drill
    finally:
        drill.stop_all()
