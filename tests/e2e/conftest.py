"""The whole platform as real processes (gunicorn services, rq worker and ticker, the embedded
redis-server), started the way `make run` starts it, on free ports under a temporary var/."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import urllib3

from deploy.local import create_key
from tests.support import free_port, wait_for_port


@dataclass
class Platform:
    base_url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path
    http: urllib3.PoolManager = field(default_factory=lambda: urllib3.PoolManager(maxsize=32))

    def create_key(self, name: str, *scopes: str) -> str:
        return create_key(self.env, name, *scopes)

    def call(
        self, method: str, path: str, body: Any = None, key: str | None = None, **headers: str
    ) -> tuple[int, Any]:
        if key:
            headers["Authorization"] = f"Bearer {key}"
        headers.setdefault("Content-Type", "application/json")
        response = self.http.request(
            method,
            self.base_url + path,
            body=None if body is None else json.dumps(body),
            headers=headers,
            timeout=30,
        )
        return response.status, json.loads(response.data) if response.data else None

    def wait_until(self, check: Any, timeout: float = 20.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result or time.monotonic() > deadline:
                return result
            time.sleep(0.1)


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    var_dir = tmp_path_factory.mktemp("platform")
    ports = {name: free_port() for name in ("GATEWAY", "POINTS", "REWARDS", "LEADERBOARD")}
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({f"{name}_PORT": str(port) for name, port in ports.items()})
    env.update(
        VAR_DIR=str(var_dir),
        EMBEDDED_REDIS_PORT=str(free_port()),
        PROJECTION_INTERVAL="2",
        RULES_CACHE_SECONDS="1",
        WEB_WORKERS="2",
    )
    log_path = var_dir / "platform.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.platform", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for port in ports.values():
            wait_for_port(port, timeout=60)
        yield Platform(f"http://127.0.0.1:{ports['GATEWAY']}", env, process, log_path)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def admin_key(platform: Platform) -> str:
    return platform.create_key("e2e-admin", "admin")


@pytest.fixture(scope="session")
def sender_key(platform: Platform) -> str:
    return platform.create_key("e2e-terminal", "events")


@pytest.fixture(scope="session")
def reader_key(platform: Platform) -> str:
    return platform.create_key("e2e-reader", "read")
