"""Redis is a projection: flushed, restarted empty or down for a while, it comes back equal to
the ledger, and no event is lost or counted twice.

While Redis is down the intake keeps accepting events (201): the ledger and its outbox are in
SQL, and the ticker's periodic drain projects them once Redis is back.
"""

from __future__ import annotations

import pytest

from services.common.queues import enqueue
from services.contracts import PROJECTION
from tests.harness import Platform, quiz

pytestmark = pytest.mark.drills


def _batch(prefix: str, members: list[str], count: int) -> list[dict]:
    return [
        quiz(f"{prefix}-{i}", members[i % len(members)], score=60 + i % 41) for i in range(count)
    ]


def test_flushed_then_restarted_empty_boards_are_rebuilt_from_the_ledger(drill: Platform) -> None:
    members = drill.setup_org(12)
    assert drill.post_events(_batch("a", members, 300))[0] == 201
    before = drill.wait_boards_equal_ledger()

    drill.redis().flushall()
    drill.wait_boards_equal_ledger()  # the next drain sees lb:epoch missing and rebuilds

    drill.stop_redis()
    drill.start_redis()  # a new server: empty
    assert drill.post_events(_batch("b", members, 100))[0] == 201
    after = drill.wait_boards_equal_ledger()
    assert sum(after.values()) > sum(before.values())
    assert drill.ledger_count() == 400


def test_events_arriving_while_redis_is_down_are_projected_once_it_returns(drill: Platform) -> None:
    members = drill.setup_org(10)
    assert drill.post_events(_batch("a", members, 50))[0] == 201
    drill.wait_boards_equal_ledger()

    drill.stop_redis()
    for i in range(5):  # singles and a batch: all accepted, the ledger is the truth
        status, body, _ = drill.call(
            "POST", "/api/v1/events", quiz(f"down-{i}", members[i]), drill.sender_key
        )
        assert status == 201, body
    assert drill.post_events(_batch("down-batch", members, 100))[0] == 201
    status, body, headers = drill.call("GET", "/api/v1/leaderboard")
    assert status == 503 and body["code"] == 503 and "Retry-After" in headers

    drill.start_redis()
    totals = drill.wait_boards_equal_ledger()
    assert drill.ledger_count() == 155
    # Replays after the outage award nothing more.
    assert drill.post_events(_batch("down-batch", members, 100))[0] == 200
    assert drill.wait_boards_equal_ledger() == totals


def test_a_worker_that_quits_when_redis_vanishes_under_a_job_is_started_again(
    drill: Platform,
) -> None:
    """The fault the drill above meets by chance, made certain: Redis goes away while the worker
    runs a job and is back before the worker's teardown, so the worker quits with status 0."""
    members = drill.setup_org(4)
    assert drill.redis_process is not None
    redis_pid = drill.redis_process.pid
    job = "tests.drills.jobs.kill_redis"
    enqueue(drill.redis(), job, redis_pid, drill.redis_port, queue_name=PROJECTION, retries=0)
    drill.redis_process.wait(timeout=60)
    drill.stop_redis()
    drill.start_redis()  # at once: the worker's teardown then reaches the new server
    assert drill.post_events(_batch("after", members, 20))[0] == 201
    drill.wait_boards_equal_ledger()
