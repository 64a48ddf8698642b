"""The jobs, run for real: over HTTP against a stand-in of the points service's internal API,
on a real Redis, in-process, under an RQ worker, and in a worker process killed mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from flask import Flask
from redis import Redis
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer

from services.common.queues import DEFAULT, PROJECTION, PROJECTION_PENDING, queue
from services.leaderboard import jobs
from services.leaderboard.keys import APPLIED, EPOCH, LOCK, NAMES
from tests.integration.leaderboard.conftest import make_entry
from tests.integration.leaderboard.points_stub import PointsStub
from tests.integration.leaderboard.test_projection import POOL, expected, scores


def write_pool(stub: PointsStub, first_id: int = 1, copies: int = 1) -> list[dict]:
    written = []
    for n in range(copies):
        for entry in POOL:
            written.append({**entry, "id": first_id + n * len(POOL) + entry["id"] - 1})
            stub.write(written[-1])
    return written


def test_a_drain_projects_the_outbox_and_empties_it(redis: Redis, points_stub: PointsStub) -> None:
    entries = write_pool(points_stub)
    redis.set(PROJECTION_PENDING, "1")
    result = jobs.drain_projection()
    assert result["applied"] == len(POOL)
    assert scores(redis) == expected(entries)
    assert points_stub.outbox == {}
    assert not redis.exists(APPLIED) and not redis.exists(PROJECTION_PENDING)
    assert not redis.exists(LOCK)


def test_a_flushed_redis_is_rebuilt_from_the_ledger_then_drained(
    redis: Redis, points_stub: PointsStub
) -> None:
    settled = write_pool(points_stub)
    jobs.drain_projection()
    redis.flushdb()  # Redis lost everything, and meanwhile more entries were written
    pending = write_pool(points_stub, first_id=100)
    result = jobs.drain_projection()
    assert result["rebuilt"]["entries"] == len(settled)
    assert result["applied"] == len(pending)
    assert scores(redis) == expected(settled + pending)
    assert redis.exists(EPOCH)
    assert redis.hget(NAMES, "S0001") == b"Name of S0001"


def test_a_failed_ack_is_retried_without_counting_twice(
    redis: Redis, points_stub: PointsStub
) -> None:
    entries = write_pool(points_stub)

    def fail(ids: list[int]) -> None:
        raise RuntimeError("the points service fell over")

    points_stub.on_ack = fail
    with pytest.raises(Exception, match="points"):
        jobs.drain_projection()
    assert len(points_stub.outbox) == len(POOL) and redis.scard(APPLIED) == len(POOL)
    points_stub.on_ack = None
    assert jobs.drain_projection()["applied"] == 0  # a retry: every row was applied already
    assert scores(redis) == expected(entries)
    assert points_stub.outbox == {} and not redis.exists(APPLIED)


def test_a_worker_killed_between_apply_and_ack(redis: Redis, points_stub: PointsStub) -> None:
    entries = write_pool(points_stub)
    ack_started, let_go = threading.Event(), threading.Event()

    def hang(ids: list[int]) -> None:
        ack_started.set()
        let_go.wait(30)
        raise RuntimeError("the worker is gone; this ack never completes")

    points_stub.on_ack = hang
    code = "from services.leaderboard.jobs import drain_projection; drain_projection()"
    worker = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ))
    try:
        assert ack_started.wait(30), "the drain never reached its acknowledgement"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        let_go.set()
    assert scores(redis) == expected(entries)  # applied, not yet acknowledged
    points_stub.on_ack = None
    redis.delete(LOCK)  # what its expiry would do a minute later
    assert jobs.drain_projection()["applied"] == 0
    assert scores(redis) == expected(entries)
    assert points_stub.outbox == {}


def test_racing_drains_while_entries_arrive(redis: Redis, points_stub: PointsStub) -> None:
    written: list[dict] = []
    errors: list[BaseException] = []

    def writer() -> None:
        for batch in range(10):
            written.extend(write_pool(points_stub, first_id=1 + batch * len(POOL)))

    def drainer() -> None:
        try:
            for _ in range(5):
                jobs.drain_projection()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=drainer) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    jobs.drain_projection()
    assert len(written) == 10 * len(POOL)
    assert scores(redis) == expected(written)


def test_a_drain_finding_the_lock_busy_asks_for_another(
    redis: Redis, points_stub: PointsStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "LOCK_WAIT_SECONDS", 0.1)
    redis.set(LOCK, "a-rebuild-in-progress")
    assert jobs.drain_projection() == {"status": "busy"}
    assert redis.exists(PROJECTION_PENDING)
    assert queue(PROJECTION, redis).count == 1


def test_sync_member_keeps_the_name_current(redis: Redis, points_stub: PointsStub) -> None:
    jobs.sync_member("S0001", "Li Na (renamed)", True)
    assert redis.hget(NAMES, "S0001") == b"Li Na (renamed)"


def test_a_rebuild_requested_over_the_api_runs_under_a_worker(
    app: Flask, redis: Redis, points_stub: PointsStub
) -> None:
    settled = write_pool(points_stub, copies=3)
    jobs.drain_projection()
    redis.zadd("lb:{org:all:total}", {"S0001": -999})  # the projection drifted somehow
    pending = [make_entry(500, "S0003", 7)]
    points_stub.write(pending[0])

    response = app.test_client().post("/api/v1/leaderboard/rebuild")
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    worker = SimpleWorker([queue(DEFAULT, redis)], connection=redis, serializer=JSONSerializer)
    worker.work(burst=True)

    job = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    assert job.get_status() == "finished"
    assert job.meta["entries_read"] == len(settled)
    assert job.meta["phase"] == "done"
    assert scores(redis) == expected(settled + pending)
