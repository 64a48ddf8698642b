"""The platform's process list, made from the settings: what `make run` starts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from services.contracts import QUEUES
from services.settings import Settings

HERE = Path(__file__).resolve().parent
APPS = {
    "gateway": "gateway:create_app()",
    "points": "services.points.app:create_app()",
    "rewards": "services.rewards.app:create_app()",
    "leaderboard": "services.leaderboard.app:create_app()",
}


@dataclass(frozen=True)
class Process:
    name: str
    command: list[str]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def web_processes(settings: Settings) -> list[Process]:
    return [
        Process(
            name,
            [
                _bin("gunicorn"),
                "--config",
                str(HERE / "gunicorn.conf.py"),
                *_worker_options(settings, name),
                *_gateway_options(settings, name),
                *_metrics_options(settings, name),
                # The gateway on HOST; the services on SERVICE_HOST (loopback by default), so
                # opening the front door to the network opens nothing behind it.
                "--bind",
                f"{settings.bind_host(name)}:{settings.ports[name]}",
                "--name",
                f"lip-{name}",
                target,
            ],
        )
        for name, target in APPS.items()
    ]


# Served inside the gateway's process as well (gateway/in_process.py): hot reads skip a hop.
IN_PROCESS = "leaderboard=services.leaderboard.app:create_app"


def _gateway_options(settings: Settings, name: str) -> list[str]:
    """GATEWAY_IN_PROCESS overrides which services the gateway serves itself ("" for none)."""
    if name != "gateway":
        return []
    chosen = IN_PROCESS if settings.gateway_in_process is None else settings.gateway_in_process
    return ["--env", f"GATEWAY_IN_PROCESS={chosen}"]


def metrics_dir(settings: Settings, name: str) -> Path:
    """Where the workers of ``name`` keep their metrics' samples (services.common.metrics):
    one directory per process group, emptied as the group starts (deploy/gunicorn.conf.py)."""
    return settings.var_dir / "metrics" / name


def _metrics_options(settings: Settings, name: str) -> list[str]:
    return ["--env", f"PROMETHEUS_MULTIPROC_DIR={metrics_dir(settings, name)}"]


def _worker_options(settings: Settings, name: str) -> list[str]:
    """Sync workers for the gateway; keep-alive threaded workers behind it.

    A sync worker closes every connection after one response, and on these machines opening
    and closing a loopback connection costs as much as the request itself: behind the
    gateway, whose pooled client would reuse connections, that is pure waste. Threaded
    workers keep the connection open, so the hop costs one send and one receive. The gateway
    faces clients that mostly do not reuse connections, where sync workers measured best.
    """
    if name == "gateway" or settings.service_worker_class == "sync":
        return []
    return ["--worker-class", "gthread", "--threads", str(settings.service_threads)]


def worker_processes(settings: Settings) -> list[Process]:
    # The URL may hold the embedded Redis's password: the worker reads it from its settings
    # (deploy/rq_config.py), never from its command line, which `ps` shows to everyone.
    rq_options = ["--config", "deploy.rq_config", "--serializer", "json"]
    return [
        # No fork per job: jobs drain whole batches, and the worker's pools are its own.
        # Supervised: the worker exits when Redis vanishes mid-bookkeeping (deploy/supervise.py).
        Process(
            "worker",
            [
                sys.executable,
                "-m",
                "deploy.supervise",
                _bin("rq"),
                "worker",
                *QUEUES,
                *rq_options,
                "--worker-class",
                "rq.worker.SimpleWorker",
                # The scheduler puts retries (and jobs enqueued for later) back on the queues.
                "--with-scheduler",
            ],
        ),
        Process("ticker", [sys.executable, "-m", "services.leaderboard.ticker"]),
    ]


def all_processes(settings: Settings) -> list[Process]:
    return web_processes(settings) + worker_processes(settings)
