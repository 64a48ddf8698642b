"""The platform under test, started by the test harness (tests/harness: the commands `make run`
uses) on free ports in a temporary VAR_DIR, plus the minimal Flask app under the same gunicorn
settings and a second gateway with the rate limiter off (the baseline of the limiter's cost,
bench/door.py). With DATABASE_URL set, every service uses a private PostgreSQL schema, dropped
after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.local import free_port, private_postgres_schema
from deploy.processes import metrics_dir, web_processes
from services.contracts import internal_signer
from tests.harness import UNREACHED_RATE_LIMITS, Platform, launched

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
MINIMAL = "minimal Flask"
UNLIMITED = "gateway, limiter off"


@dataclass
class Running:
    platform: Platform
    minimal_port: int
    unlimited_port: int  # the gateway with the rate limiter off

    @property
    def ports(self) -> dict[str, int]:
        return self.platform.settings.ports

    @property
    def redis_url(self) -> str:
        return self.platform.settings.redis_url

    @property
    def database_url(self) -> str:
        return self.platform.settings.database_url("points")

    @property
    def service_ports(self) -> set[int]:
        """The ports of the services behind the gateway (they answer signed requests only)."""
        return {port for name, port in self.ports.items() if name != "gateway"}

    @property
    def internal_secret(self) -> str:
        """The platform's internal secret (the file its processes made under VAR_DIR)."""
        return internal_signer(self.platform.settings).secret.decode()

    def create_key(self, name: str, *scopes: str) -> str:
        return self.platform.create_key(name, *scopes)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each service, and by the minimal app."""
        return self.platform.cpu_seconds()

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each service (master and workers together), in MiB."""
        return self.platform.rss_mb()


@contextlib.contextmanager
def started(workers: int = 2) -> Iterator[Running]:
    var_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = {
        "PROJECTION_INTERVAL": "5",
        "WEB_WORKERS": str(workers),
        "LOG_LEVEL": "warning",
        **UNREACHED_RATE_LIMITS,  # its one key per role reads at the machine's capacity
    }
    try:
        with _database() as url, launched(var_dir, url, "bench", **env) as platform:
            minimal_port = free_port()
            platform.start_process(MINIMAL, _minimal_command(minimal_port), minimal_port)
            unlimited_port = free_port()
            command = _unlimited_command(platform, unlimited_port)
            platform.start_process(UNLIMITED, command, unlimited_port)
            platform.extras.update((MINIMAL, UNLIMITED))
            yield Running(platform, minimal_port, unlimited_port)
    finally:
        if not os.environ.get("BENCH_KEEP"):  # a 1M-entry ledger is worth not leaving behind
            shutil.rmtree(var_dir, ignore_errors=True)


def _minimal_command(port: int) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "bench.minimal_app:create_app()",
    ]


def _unlimited_command(platform: Platform, port: int) -> list[str]:
    """The platform's own gateway command (deploy/processes.py) on ``port``, with the rate
    limiter off and a metrics directory of its own (each gateway empties its own as it starts)."""
    settings = platform.settings
    (command,) = [p.command for p in web_processes(settings) if p.name == "gateway"]
    command = list(command)
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--name") + 1] = "lip-gateway-unlimited"
    metrics = metrics_dir(settings, "gateway-unlimited")
    options = ["--env", "RATE_LIMIT_ENABLED=false", "--env", f"PROMETHEUS_MULTIPROC_DIR={metrics}"]
    return [*command[:-1], *options, command[-1]]


@contextlib.contextmanager
def _database() -> Iterator[str | None]:
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield None
        return
    with private_postgres_schema(base, "bench") as url:
        yield url
