"""Fixtures every tier uses: a real Redis server and a real database (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set). Nothing here is a fake."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis

from services.common.embedded_redis import redis_server, server_command
from services.settings import Settings
from tests.support import (
    DATABASES,
    SigningClient,
    free_port,
    postgres_url,
    private_postgres_schema,
    wait_for_port,
)


@pytest.fixture(scope="session", autouse=True)
def signing_test_clients() -> Iterator[None]:
    """Every app's test client signs its requests as the gateway would (tests.support), so
    tests talk to a service as the platform does; ``test_client(signed=False)`` does not."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "test_client_class", SigningClient)
        yield


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free port (or TEST_REDIS_URL, flushed around each test)."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    port = free_port()
    data_dir = tmp_path_factory.mktemp("redis")
    server = redis_server(Settings.from_env().embedded_redis_server)
    process = subprocess.Popen(
        server_command(port, data_dir, server=server), stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    client = Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind under test; migrations are the caller's to run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = postgres_url()
    assert base is not None
    with private_postgres_schema(base) as url:
        yield url


@pytest.fixture
def settings(
    tmp_path: Path, redis_url: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings for in-process app tests: every service on the same test database.

    VAR_DIR is the test's in the environment too, so jobs (which read their settings from
    the environment) share the apps' internal secret, as every process of `make run` does.
    """
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    base = Settings.from_env({"VAR_DIR": str(tmp_path), "REDIS_URL": redis_url})
    return base.with_overrides(
        database_urls={s: database_url for s in ("gateway", "points", "rewards", "leaderboard")},
    )
