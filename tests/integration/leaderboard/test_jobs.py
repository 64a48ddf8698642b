"""The jobs, run for real: over HTTP against the real points service (pricing with the real
rewards service), on a real Redis, in-process, under RQ workers, and in an RQ worker process
killed with SIGKILL in the middle of a drain."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from redis.lock import Lock
from rq import SimpleWorker
from rq.job import Job
from rq.serializers import JSONSerializer

from deploy.processes import worker_processes
from services.common.queues import queue
from services.contracts import DEFAULT, DRAIN_JOB, PROJECTION, PROJECTION_PENDING
from services.leaderboard import jobs
from services.leaderboard.keys import APPLIED, EPOCH, LOCK, NAMES
from services.leaderboard.projection import lock as projection_lock
from services.leaderboard.projection.script import apply_batch
from services.settings import Settings
from tests.harness.waiting import wait_until
from tests.integration.leaderboard.boards import ORG_TOTAL, assert_projected, org_totals, scores
from tests.integration.leaderboard.ledger import PointsService, events
from tests.support import free_port, serving


def take_lock(redis: Redis) -> Lock:
    """The projection lock, taken exactly as a drain takes it."""
    lock = redis.lock(LOCK, timeout=projection_lock.LOCK_SECONDS, thread_local=False)
    assert lock.acquire(blocking=False)
    return lock


def apply_without_ack(redis: Redis, points: PointsService, lock: Lock) -> list[dict]:
    """What a drain leaves behind when it stops after its apply and before its ack: the
    outbox fetched from the points service and applied under the lock, nothing acknowledged."""
    rows = points.outbox()
    assert apply_batch(redis, [row["entry"] for row in rows], lock.local.token) == len(rows)
    return rows


@contextmanager
def platform_worker(redis_url: str, points_url: str, log: Path) -> Iterator[subprocess.Popen]:
    """The `rq worker` process exactly as the platform starts it (deploy/processes.py)."""
    settings = Settings.from_env({"REDIS_URL": redis_url})
    [worker] = [p for p in worker_processes(settings) if p.name == "worker"]
    env = {**os.environ, "REDIS_URL": redis_url, "POINTS_URL": points_url}
    with open(log, "wb") as out:
        process = subprocess.Popen(worker.command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def lock_requests(redis: Redis) -> int:
    """SET commands the test Redis has run so far: a drain asks for the lock with SET NX."""
    stats = redis.info("commandstats").get("cmdstat_set", {})
    return int(stats.get("calls", 0))


def test_a_drain_projects_every_outbox_entry_once_and_empties_it(
    redis: Redis, points: PointsService
) -> None:
    points.post_events(events(60))
    assert redis.exists(PROJECTION_PENDING)  # the points service asked for a drain
    result = jobs.drain_projection()
    assert result["rebuilt"]["entries"] == 0  # a fresh Redis: an empty rebuild sets the epoch
    assert result["applied"] == 60
    assert_projected(redis, points)
    assert not redis.exists(PROJECTION_PENDING) and not redis.exists(LOCK)
    assert redis.hget(NAMES, "S004") == b"Chen Jie"
    assert jobs.drain_projection()["applied"] == 0  # nothing left


def test_a_flushed_redis_is_rebuilt_from_the_ledger_then_drained(
    redis: Redis, points: PointsService
) -> None:
    points.post_events(events(40))
    jobs.drain_projection()
    redis.flushdb()  # Redis lost everything, and meanwhile more entries were written
    points.post_events(events(25, start=40))
    result = jobs.drain_projection()
    assert result["rebuilt"]["entries"] == 40
    assert result["applied"] == 25
    assert_projected(redis, points)
    assert redis.exists(EPOCH)
    assert redis.hget(NAMES, "S001") == b"Li Na"


def test_a_failed_ack_is_retried_without_counting_twice(
    redis: Redis, points: PointsService
) -> None:
    points.post_events(events(10))
    jobs.drain_projection()
    points.post_events(events(30, start=10))
    lock = take_lock(redis)
    apply_without_ack(redis, points, lock)
    lock.release()  # the ack raised and the job's `finally` let the lock go; a drain runs again
    assert len(points.outbox()) == 30 and redis.scard(APPLIED) == 30
    assert scores(redis) == points.boards()  # applied, not yet acknowledged
    result = jobs.drain_projection()
    assert result == {"status": "ok", "applied": 0, "rebuilt": None}  # every row was applied
    assert_projected(redis, points)


def test_a_worker_killed_between_apply_and_ack(redis: Redis, points: PointsService) -> None:
    points.post_events(events(10))
    jobs.drain_projection()
    points.post_events(events(30, start=10))
    lock = take_lock(redis)
    apply_without_ack(redis, points, lock)
    # The worker is gone and its lock is never released: the next drain asks for the lock
    # (SET NX) again and again while it is there, and goes on only once it has expired.
    before = lock_requests(redis)
    outcome: dict[str, object] = {}
    drain = threading.Thread(target=lambda: outcome.update(jobs.drain_projection()))
    drain.start()
    try:
        asked = lambda: lock_requests(redis) >= before + 2  # noqa: E731
        wait_until(asked, 10, 0.01, "the drain asking twice for the lock")
        assert redis.get(LOCK) == lock.local.token and drain.is_alive() and not outcome
    finally:
        redis.pexpire(LOCK, 1)  # what its expiry does LOCK_SECONDS later
        drain.join(30)
    assert outcome["applied"] == 0  # every row was applied before the worker died
    assert_projected(redis, points)


def test_an_ack_whose_answer_was_lost(redis: Redis, points: PointsService) -> None:
    points.post_events(events(10))
    jobs.drain_projection()
    points.post_events(events(30, start=10))
    lock = take_lock(redis)
    rows = apply_without_ack(redis, points, lock)
    points.acknowledge([row["outbox_id"] for row in rows])  # committed; the answer never came
    lock.release()
    assert jobs.drain_projection()["applied"] == 0
    assert scores(redis) == points.boards()
    points.post_events(events(5, start=40))  # later entries still project, once
    assert jobs.drain_projection()["applied"] == 5
    assert scores(redis) == points.boards()
    assert org_totals(redis) == points.member_totals()


def test_an_rq_worker_killed_mid_drain(
    redis: Redis, redis_url: str, points: PointsService, tmp_path: Path
) -> None:
    """A real `rq worker`, started as the platform starts it, is killed with SIGKILL while it
    drains thousands of entries; a fresh drain then brings the boards to the ledger exactly."""
    total = 5000
    points.post_events(events(total))
    assert queue(PROJECTION, redis).count >= 1  # the drain the points service asked for
    log = tmp_path / "worker.log"
    with platform_worker(redis_url, points.url, log) as process:

        def applying() -> bool:
            assert process.poll() is None, log.read_text()
            return bool(redis.scard(APPLIED) or redis.exists(ORG_TOTAL))

        wait_until(applying, 30, 0.01, "the worker applying a batch")
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL

    pending = {row["entry"]["id"] for row in points.outbox()}
    applied = {int(i) for i in redis.smembers(APPLIED)}
    assert pending, "the drain finished before it was killed"
    assert redis.exists(LOCK)  # a killed worker never releases it
    redis.pexpire(LOCK, 100)  # what its expiry does LOCK_SECONDS later
    result = jobs.drain_projection()
    assert result["rebuilt"] is None
    assert result["applied"] == len(pending - applied)  # applied before the kill: skipped
    assert scores(redis) == points.boards()
    assert org_totals(redis) == points.member_totals()
    assert points.outbox() == []
    # Killed after an ack but before its SREM, the acknowledged entries' ids stay behind (they
    # are never handed over again); every other id was released.
    leftover = {int(i) for i in redis.smembers(APPLIED)}
    assert applied - pending <= leftover <= applied


def test_racing_drains_while_entries_arrive(redis: Redis, points: PointsService) -> None:
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for batch in range(10):
                points.post_events(events(12, start=batch * 12))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

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
    assert len(points.entries()) == 120
    assert_projected(redis, points)


def test_a_drain_finding_the_lock_busy_asks_for_another(
    redis: Redis, points: PointsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projection_lock, "LOCK_WAIT_SECONDS", 0.1)
    redis.set(LOCK, "a-rebuild-in-progress")
    assert jobs.drain_projection() == {"status": "busy"}
    assert redis.exists(PROJECTION_PENDING)
    drains = [j for j in queue(PROJECTION, redis).get_jobs() if j.func_name == DRAIN_JOB]
    assert len(drains) == 1


def test_sync_member_keeps_the_name_current(
    redis: Redis, points: PointsService, monkeypatch: pytest.MonkeyPatch
) -> None:
    points.post_events(events(8))
    points.rename("S001", "Li Na (renamed)")  # the points service enqueues sync_member
    worker = SimpleWorker([queue(PROJECTION, redis)], connection=redis, serializer=JSONSerializer)
    worker.work(burst=True)
    assert redis.hget(NAMES, "S001") == b"Li Na (renamed)"
    assert redis.hget(NAMES, "S005") == b"Zhou Lin"  # announced when it was created
    assert_projected(redis, points)  # the drain it asked for ran on the same queue
    # With the points service out of reach the job falls back on its arguments, and an empty
    # name there is no name to keep: the one announced earlier stays.
    monkeypatch.setenv("POINTS_URL", f"http://127.0.0.1:{free_port()}")
    jobs.sync_member("S002", "", True)
    assert redis.hget(NAMES, "S002") == b"Wang Wei"


def test_a_rebuild_requested_over_the_api_runs_under_a_worker(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    points.post_events(events(90))
    jobs.drain_projection()
    redis.zadd(ORG_TOTAL, {"S001": -999})  # the projection drifted somehow
    points.post_events(events(7, start=90))  # still in the outbox when the rebuild runs

    response = app.test_client().post("/api/v1/leaderboard/rebuild")
    assert response.status_code == 202
    job_id = response.get_json()["job_id"]
    worker = SimpleWorker([queue(DEFAULT, redis)], connection=redis, serializer=JSONSerializer)
    worker.work(burst=True)

    job = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    assert job.get_status() == "finished"
    assert job.meta["entries_read"] == 90
    assert job.meta["phase"] == "done"
    assert_projected(redis, points)


def test_a_drain_that_failed_is_retried_by_the_platform_worker(
    redis: Redis, redis_url: str, points: PointsService, tmp_path: Path
) -> None:
    points.post_events(events(20))
    [drain] = [j for j in queue(PROJECTION, redis).get_jobs() if j.func_name == DRAIN_JOB]
    port = free_port()  # where the points service is about to be, and is not yet
    log = tmp_path / "worker.log"
    with platform_worker(redis_url, f"http://127.0.0.1:{port}", log):

        def failed_once() -> bool:
            return drain.get_status(refresh=True) not in ("queued", "started")

        wait_until(failed_once, 30, 0.01, "the worker running the drain")
        assert points.outbox() != []
        with serving(points.app, port=port):  # the points service is back
            wait_until(lambda: not points.outbox(), 6, 0.01, "the failed drain retried")
    assert_projected(redis, points)
