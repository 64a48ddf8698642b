"""/readyz on a service and on the gateway: 200 while their database and Redis answer, 503 in
the one error shape with Retry-After when one of them does not; /healthz stays 200."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from services.common.embedded_redis import server_command
from services.settings import Settings
from tests.support import free_port, wait_for_port


class PrivateRedis:
    """A redis-server of this test's own, which the test may stop."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            server_command(self.port, data_dir), stdout=subprocess.DEVNULL
        )
        wait_for_port(self.port)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "own-redis")
    yield server
    server.stop()


def _points(settings: Settings) -> Flask:
    from services.points.app import create_app

    return create_app(settings)


def _gateway(settings: Settings) -> Flask:
    from gateway import create_app

    return create_app(settings)


APPS: dict[str, Callable[[Settings], Flask]] = {"points": _points, "gateway": _gateway}


@pytest.mark.parametrize("name", sorted(APPS))
def test_ready_until_redis_stops(
    name: str, settings: Settings, private_redis: PrivateRedis
) -> None:
    app = APPS[name](settings.with_overrides(redis_url=private_redis.url))
    client = app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json() == {
        "status": "ready",
        "service": name,
        "checks": {"database": "ok", "redis": "ok"},
    }
    private_redis.stop()
    down = client.get("/readyz")
    assert down.status_code == 503 and down.headers["Retry-After"].isdigit()
    body = down.get_json()
    assert body["code"] == 503 and body["status"] == "Service Unavailable"
    assert "redis" in body["message"]
    assert body["errors"]["checks"] == {"database": "ok", "redis": "unreachable"}
    assert client.get("/healthz").status_code == 200  # alive, only not ready


@pytest.mark.parametrize("name", sorted(APPS))
def test_not_ready_without_its_database(
    name: str, settings: Settings, private_redis: PrivateRedis
) -> None:
    nowhere = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    app = APPS[name](
        settings.with_overrides(
            redis_url=private_redis.url,
            database_urls={part: nowhere for part in settings.database_urls},
        )
    )
    down = app.test_client().get("/readyz")
    assert down.status_code == 503 and "Retry-After" in down.headers
    assert down.get_json()["errors"]["checks"] == {"database": "unreachable", "redis": "ok"}


def test_a_service_without_redis_checks_only_its_database(settings: Settings) -> None:
    from services.rewards.app import create_app

    answer = create_app(settings).test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json()["checks"] == {"database": "ok"}
