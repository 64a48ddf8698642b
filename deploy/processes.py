"""The platform's process list, made from the settings: what `make run` starts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from services.common.config import Settings
from services.common.queues import QUEUES

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
                "--bind",
                f"{settings.host}:{settings.ports[name]}",
                "--name",
                f"lip-{name}",
                target,
            ],
        )
        for name, target in APPS.items()
    ]


def worker_processes(settings: Settings) -> list[Process]:
    rq_options = ["--url", settings.redis_url, "--serializer", "json"]
    return [
        # No fork per job: jobs drain whole batches, and the worker's pools are its own.
        Process(
            "worker",
            [
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
