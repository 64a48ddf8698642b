"""The leaderboard's /metrics: the RQ queues' lengths by state, read from the real Redis as
the platform's worker leaves them."""

from __future__ import annotations

from flask import Flask
from redis import Redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from services.common.queues import enqueue, queue
from services.contracts import DEFAULT, PROJECTION, QUEUES
from tests.support import metric_value

FAILING = "builtins.int"  # int("not a number") raises: a job that always fails


def jobs(app: Flask, queue_name: str, state: str) -> float:
    response = app.test_client().get("/metrics")  # unsigned, as the machine's scraper reads it
    assert response.status_code == 200, response.data
    text = response.get_data(as_text=True)
    assert f'rq_jobs{{queue="{queue_name}",state="{state}"}}' in text  # present even at 0
    return metric_value(text, "rq_jobs", queue=queue_name, state=state)


def run_default_queue(redis: Redis) -> None:
    worker = SimpleWorker([queue(DEFAULT, redis)], connection=redis, serializer=JSONSerializer)
    worker.work(burst=True)


def test_every_queue_and_state_is_exported_at_zero(app: Flask) -> None:
    for name in QUEUES:
        for state in ("queued", "started", "scheduled", "deferred", "failed"):
            assert jobs(app, name, state) == 0


def test_queued_jobs_are_counted_per_queue(app: Flask, redis: Redis) -> None:
    for _ in range(3):
        enqueue(redis, FAILING, "x", queue_name=DEFAULT, retries=0)
    enqueue(redis, FAILING, "x", queue_name=PROJECTION, retries=0)
    assert jobs(app, DEFAULT, "queued") == 3
    assert jobs(app, PROJECTION, "queued") == 1


def test_a_failed_job_waits_for_its_retry_then_counts_as_failed(app: Flask, redis: Redis) -> None:
    enqueue(redis, FAILING, "x", queue_name=DEFAULT, retries=1)
    for value in ("y", "z"):
        enqueue(redis, FAILING, value, queue_name=DEFAULT, retries=0)
    run_default_queue(redis)
    assert jobs(app, DEFAULT, "queued") == 0
    assert jobs(app, DEFAULT, "scheduled") == 1  # its retry, in a second
    assert jobs(app, DEFAULT, "failed") == 2
    assert jobs(app, PROJECTION, "failed") == 0
