"""Command line: ``flask --app services.leaderboard.app leaderboard rebuild|verify|close``.

``rebuild`` and ``verify`` enqueue the same RQ jobs as the admin endpoints (a running worker
takes them) and, with ``--wait``, follow the job's progress until it ends; ``--now`` runs the
job in this process instead, which needs no worker.
"""

from __future__ import annotations

import json
import time
from typing import Any

import click
from flask import Flask, current_app
from rq import Retry
from rq.job import Job
from rq.serializers import JSONSerializer

from services.common.queues import queue
from services.contracts import DEFAULT
from services.leaderboard import jobs

JOB_TIMEOUT = 3600


def _run(name: str, kwargs: dict[str, Any], now: bool, wait: bool) -> None:
    if now:
        click.echo(json.dumps(getattr(jobs, name)(**kwargs), indent=2, default=str))
        return
    redis = current_app.extensions["queue_redis"]
    job = queue(DEFAULT, redis).enqueue(
        f"{jobs.__name__}.{name}",
        kwargs=kwargs,
        job_timeout=JOB_TIMEOUT,
        retry=Retry(max=3, interval=[1, 5, 15]),
        result_ttl=3600,
    )
    click.echo(f"job {job.id} enqueued")
    while wait:
        job = Job.fetch(job.id, connection=redis, serializer=JSONSerializer)
        status = job.get_status()
        click.echo(f"{status}: {json.dumps(job.meta)}")
        if status in ("finished", "failed", "canceled", "stopped"):
            click.echo(json.dumps(job.return_value(), indent=2, default=str))
            break
        time.sleep(1)


def register(app: Flask) -> None:
    @app.cli.group()
    def leaderboard() -> None:
        """Rebuild, verify and archive the leaderboards."""

    @leaderboard.command()
    @click.option("--scope", default=None, help="org or unit:<code>: one scope only")
    @click.option("--period", default=None, help="all, year, quarter, month, week or day")
    @click.option("--at", default=None, help="a local date inside the period (default today)")
    @click.option("--category", default=None, help="total or an entry category")
    @click.option("--now", is_flag=True, help="run here instead of in a worker")
    @click.option("--wait", is_flag=True, help="follow the job until it ends")
    def rebuild(
        scope: str | None,
        period: str | None,
        at: str | None,
        category: str | None,
        now: bool,
        wait: bool,
    ) -> None:
        """Rebuild everything, one period or one board from the ledger."""
        if period and period != "all" and not at:
            from services.common.calendar import today

            at = today(current_app.config["SETTINGS"].org_timezone).isoformat()
        kwargs = {"scope": scope, "period": period, "at": at, "category": category}
        _run("rebuild", {k: v for k, v in kwargs.items() if v}, now, wait)

    @leaderboard.command()
    @click.option("--repair", is_flag=True, help="replace the boards that drifted")
    @click.option("--now", is_flag=True, help="run here instead of in a worker")
    @click.option("--wait", is_flag=True, help="follow the job until it ends")
    def verify(repair: bool, now: bool, wait: bool) -> None:
        """Compare every board with the ledger and report drift (and repair it)."""
        _run("verify", {"repair": repair}, now, wait)

    @leaderboard.command()
    @click.option("--today", default=None, help="treat this local date as today")
    def close(today: str | None) -> None:
        """Archive closed periods and set the expiry of short-period keys, here and now."""
        click.echo(json.dumps(jobs.close_periods(today), indent=2, default=str))
