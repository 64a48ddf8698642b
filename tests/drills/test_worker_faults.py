"""Each ledger entry reaches each board exactly once: a worker killed with SIGKILL in the middle
of a drain, two workers racing, and drain jobs retried and repeated."""

from __future__ import annotations

import pytest

from services.common.queues import enqueue
from services.contracts import DRAIN_JOB, PROJECTION
from tests.harness import Platform, quiz, wait_until

pytestmark = pytest.mark.drills


def _post_batches(drill: Platform, members: list[str], prefix: str, batches: int) -> None:
    for b in range(batches):
        events = [
            quiz(f"{prefix}-{b}-{i}", members[i % len(members)], 60 + i % 41) for i in range(1000)
        ]
        assert drill.post_events(events)[0] == 201


def test_worker_killed_mid_drain_then_two_workers_race(drill: Platform) -> None:
    members = drill.setup_org(20)
    drill.kill("worker")  # hold projection back so that a big outbox builds up
    _post_batches(drill, members, "k", 6)
    drill.start("worker")
    # Kill it while it is applying: the projection lock is taken by the drain in progress.
    wait_until(lambda: drill.redis().exists("lb:lock:projection"), 30, 0.005, "a drain applying")
    drill.kill("worker")
    # Two workers now race on what is left (the lock expires after its timeout at worst).
    drill.start("worker")
    second = dict(drill.processes)
    drill.processes["worker-2"] = second.pop("worker")
    drill.start("worker")
    _post_batches(drill, members, "k2", 1)
    totals = drill.wait_boards_equal_ledger(timeout=120)
    assert drill.ledger_count() == 7000
    assert sum(totals.values()) > 0


def test_retried_and_repeated_drain_jobs_apply_each_entry_once(drill: Platform) -> None:
    members = drill.setup_org(10)
    drill.kill("worker")
    _post_batches(drill, members, "r", 2)
    redis = drill.redis()
    for _ in range(10):  # as if the ticker, the intake and retries all asked at once
        enqueue(redis, DRAIN_JOB, queue_name=PROJECTION, timeout=600, retries=5)
    drill.start("worker")
    drill.processes["worker-2"] = drill.processes.pop("worker")
    drill.start("worker")
    drill.wait_boards_equal_ledger(timeout=120)
    assert drill.ledger_count() == 2000
