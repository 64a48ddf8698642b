"""Several instances of the platform's parts on loopback behind a real nginx as load balancer
(deploy/nginx/platform.conf in front of two gateways, deploy/nginx/services.conf in front of
two points services), two projection workers and one ticker, on one Redis and one database
(SQLite files, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy.local import free_port
from deploy.processes import all_processes
from tests.harness import Platform, nginx
from tests.support import DATABASES, postgres_url, private_postgres_schema

pytestmark = pytest.mark.scale

ENV = {"PROJECTION_INTERVAL": "1", "WEB_WORKERS": "2", "TRUSTED_PROXIES": "1"}
SERVICES = ("points", "rewards", "leaderboard")


@dataclass
class Instances:
    platform: Platform
    front: nginx.Nginx
    gateways: dict[str, int]  # process name: port
    points: dict[str, int]
    workers: tuple[str, ...]


def start_instance(platform: Platform, part: str, name: str, port: int) -> None:
    """Another instance of ``part`` as `make run` starts it, on ``port``, with its own metrics
    directory (a gunicorn group empties its directory as it starts)."""
    settings = platform.settings.with_overrides(ports={**platform.settings.ports, part: port})
    (command,) = [p.command for p in all_processes(settings) if p.name == part]
    command = [word.replace(f"metrics/{part}", f"metrics/{name}") for word in command]
    platform.start_process(name, command, port)


def _command(platform: Platform, part: str) -> list[str]:
    (command,) = [p.command for p in all_processes(platform.settings) if p.name == part]
    return command


@contextmanager
def _launched(work: Path, database_url: str | None) -> Iterator[Instances]:
    balancers = {service: free_port() for service in SERVICES}
    # Every part finds each service at its balancer, never at one instance.
    urls = {f"{s.upper()}_URL": f"http://127.0.0.1:{port}" for s, port in balancers.items()}
    (work / "platform").mkdir()
    platform = Platform.configure(work / "platform", database_url, "scale", **ENV, **urls)
    ports = platform.settings.ports
    gateways = {"gateway": ports["gateway"], "gateway-2": free_port()}
    points = {"points": ports["points"], "points-2": free_port()}
    balanced = {
        "points": list(points.values()),
        "rewards": [ports["rewards"]],
        "leaderboard": [ports["leaderboard"]],
    }
    try:
        platform.start_redis()
        platform.migrate()
        with nginx.running(work / "nginx", list(gateways.values()), balanced, balancers) as front:
            for name in (*SERVICES, "gateway"):
                platform.start(name)
            start_instance(platform, "points", "points-2", points["points-2"])
            start_instance(platform, "gateway", "gateway-2", gateways["gateway-2"])
            platform.start("worker")
            platform.start_process("worker-2", _command(platform, "worker"))
            platform.start("ticker")
            yield Instances(platform, front, gateways, points, ("worker", "worker-2"))
    finally:
        platform.stop_all()


@pytest.fixture(params=DATABASES)
def instances(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Instances]:
    if not nginx.installed():
        pytest.skip("nginx is not installed: make nginx")
    if request.param == "sqlite":
        with _launched(tmp_path, None) as started:
            yield started
        return
    with private_postgres_schema(str(postgres_url())) as url, _launched(tmp_path, url) as started:
        yield started
