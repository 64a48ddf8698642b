"""The boards on a real Redis Cluster (six redis-server processes on loopback), the queues on
the platform's plain Redis: events reach the boards, and a master killed while a drain applies
is failed over by its replica, after which projection resumes and the boards equal the ledger.

This process did not get BOARDS_REDIS_CLUSTER_URL, so its services.leaderboard.keys names
the plain keys; the tagged names the platform uses are spelled out here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis import RedisCluster
from redis.exceptions import RedisError

from tests.drills.conftest import ENV
from tests.harness import Platform, launched, quiz, wait_until
from tests.harness.cluster import Cluster, available, running_cluster
from tests.support import DATABASES, postgres_url, private_postgres_schema

pytestmark = [
    pytest.mark.drills,
    pytest.mark.skipif(not available(), reason="needs redis-server and redis-cli"),
]

TAG = "{lb}"  # every leaderboard key starts with it on a Cluster: one slot
LOCK = f"{TAG}:lock:projection"
ORG_TOTAL = f"{TAG}:{{org:all:total}}"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with running_cluster(tmp_path / "cluster") as running:
        yield running


@pytest.fixture(params=DATABASES)
def platform(
    request: pytest.FixtureRequest, tmp_path: Path, cluster: Cluster
) -> Iterator[Platform]:
    env = {"BOARDS_REDIS_CLUSTER_URL": cluster.url, **ENV}
    if request.param == "sqlite":
        with launched(tmp_path, None, "cluster", **env) as started:
            yield started
        return
    with (
        private_postgres_schema(str(postgres_url())) as url,
        launched(tmp_path, url, "cluster", **env) as started,
    ):
        yield started


def _post(platform: Platform, members: list[str], prefix: str, batches: int) -> None:
    for b in range(batches):
        events = [
            quiz(f"{prefix}-{b}-{i}", members[i % len(members)], 60 + i % 41) for i in range(1000)
        ]
        assert platform.post_events(events)[0] == 201


def test_events_reach_the_boards_on_the_cluster(platform: Platform, cluster: Cluster) -> None:
    members = platform.setup_org(5)
    events = [quiz(f"c-{j}-{i}", members[i], 60 + 4 * j + i) for j in range(10) for i in range(5)]
    assert platform.post_events(events)[0] == 201
    totals = platform.wait_boards_equal_ledger(timeout=60)
    assert platform.ledger_count() == 50  # one entry per event
    assert len(totals) == 5 and all(points > 0 for points in totals.values())
    boards = RedisCluster(host="127.0.0.1", port=cluster.ports[0])
    assert boards.zcard(ORG_TOTAL) == 5
    assert boards.exists(LOCK) == 0  # released after the drain
    assert not platform.redis().exists("lb:{org:all:total}")  # nothing on the plain Redis
    # A full rebuild (unions, renames and the swap under WATCH, all in the one slot), then a
    # verify: the boards still equal the ledger, with nothing drifted.
    _run_job(platform, "/api/v1/leaderboard/rebuild")
    assert platform.wait_boards_equal_ledger(timeout=30) == totals
    assert _run_job(platform, "/api/v1/leaderboard/verify")["drift"] == 0


def _run_job(platform: Platform, path: str) -> dict[str, Any]:
    status, job, _ = platform.call("POST", path, {})
    assert status == 202, job

    def finished() -> dict[str, Any] | None:
        body = platform.call("GET", f"/api/v1/leaderboard/jobs/{job['job_id']}")[1]
        return body if body["status"] in ("finished", "failed") else None

    result = wait_until(finished, 60, 0.2, f"the job of {path}")
    assert result["status"] == "finished", result
    return dict(result["result"])


def test_a_master_killed_mid_drain_is_failed_over(platform: Platform, cluster: Cluster) -> None:
    members = platform.setup_org(20)
    platform.wait_boards_equal_ledger(timeout=60)
    platform.kill("worker")  # hold projection back so that a big outbox builds up
    _post(platform, members, "f", 6)
    master = cluster.master_of(LOCK)
    platform.start("worker")
    wait_until(lambda: cluster.node(master).exists(LOCK), 30, 0.005, "a drain applying")
    cluster.kill(master)
    # The replica of that master takes its slots over once the others mark it failed.
    wait_until(
        lambda: cluster.master_of(LOCK) != master, 30, 0.2, "the replica promoted", (RedisError,)
    )
    _post(platform, members, "g", 1)
    totals = platform.wait_boards_equal_ledger(timeout=90)
    assert platform.ledger_count() == 7000
    assert sum(totals.values()) == sum(platform.ledger_totals().values())
