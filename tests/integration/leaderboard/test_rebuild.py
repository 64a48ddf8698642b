"""Rebuilding boards from the ledger: build aside, then swap in at once (Redis side)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from redis.client import Pipeline

from services.leaderboard.keys import APPLIED, EPOCH, LOCK, NAMES
from services.leaderboard.projection import (
    BoardBuilder,
    LockLost,
    aggregate,
    apply_batch,
    drop_stale_builds,
    swap_in,
)
from tests.integration.leaderboard.conftest import make_entry
from tests.integration.leaderboard.test_projection import POOL, scores

ORG_TOTAL = "lb:{org:all:total}"
OLD_DAY = "lb:{org:d2020-01-01:total}"


def seed_old(redis: Redis) -> None:
    redis.zadd(ORG_TOTAL, {"S0001": -100})
    redis.zadd(OLD_DAY, {"S0001": -100})
    redis.hset(NAMES, mapping={"S0001": "Old Name", "S0404": "Gone"})
    redis.sadd(APPLIED, "7")


def test_aggregate_sums_per_board_and_member() -> None:
    entries = [make_entry(1, "S0001", 6), make_entry(2, "S0001", 4), make_entry(3, "S0002", -1)]
    boards, names = aggregate(entries)
    assert boards[ORG_TOTAL] == {"S0001": 10, "S0002": -1}
    assert boards["lb:{unit:north-ops:d2026-11-26:quiz}"] == {"S0001": 10, "S0002": -1}
    assert names == {"S0001": "Name of S0001", "S0002": "Name of S0002"}


def test_old_boards_stay_readable_until_the_swap(redis: Redis, lock_token: str) -> None:
    seed_old(redis)
    builder = BoardBuilder(redis)
    builder.add_points(aggregate([make_entry(1, "S0001", 6)])[0])
    builder.add_names({"S0001": "New Name"})
    assert redis.zscore(ORG_TOTAL, "S0001") == -100  # nothing live changed yet
    assert redis.hget(NAMES, "S0001") == b"Old Name"
    epoch = builder.swap_in(lock_token)
    assert redis.zscore(ORG_TOTAL, "S0001") == -6
    assert not redis.exists(OLD_DAY)  # a board the ledger no longer has is gone
    assert redis.hgetall(NAMES) == {b"S0001": b"New Name"}
    assert not redis.exists(APPLIED)
    assert redis.get(EPOCH) == epoch.encode()
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


def test_pages_added_one_by_one_add_up(redis: Redis, lock_token: str) -> None:
    builder = BoardBuilder(redis)
    for page in ([make_entry(1, "S0001", 6)], [make_entry(2, "S0001", 4)]):
        builder.add_points(aggregate(page)[0])
    builder.swap_in(lock_token)
    assert redis.zscore(ORG_TOTAL, "S0001") == -10


def test_an_empty_ledger_empties_every_board(redis: Redis, lock_token: str) -> None:
    seed_old(redis)
    swap_in(redis, {}, {}, lock_token)
    assert scores(redis) == {}
    assert not redis.exists(NAMES) and not redis.exists(APPLIED)
    assert redis.exists(EPOCH)


def test_a_swap_without_the_lock_changes_nothing_and_cleans_up(redis: Redis) -> None:
    seed_old(redis)
    redis.set(LOCK, "someone-else")
    with pytest.raises(LockLost):
        swap_in(redis, aggregate([make_entry(1, "S0001", 6)])[0], {"S0001": "X"}, "mine")
    assert redis.zscore(ORG_TOTAL, "S0001") == -100
    assert redis.exists(OLD_DAY) and redis.sismember(APPLIED, "7")
    assert not redis.exists(EPOCH)
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


def test_a_lock_taken_over_between_check_and_exec_aborts_the_swap(
    redis: Redis, lock_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_old(redis)
    builder = BoardBuilder(redis)
    builder.add_points(aggregate([make_entry(1, "S0001", 6)])[0])
    make_pipeline = redis.pipeline

    def pipeline(*args: Any, **kwargs: Any) -> Pipeline:
        """A pipeline during whose MULTI another drain takes the lock over."""
        pipe = make_pipeline(*args, **kwargs)
        start_multi = pipe.multi

        def multi() -> None:
            Redis(connection_pool=redis.connection_pool).set(LOCK, "drain-b")
            start_multi()

        monkeypatch.setattr(pipe, "multi", multi)
        return pipe

    monkeypatch.setattr(redis, "pipeline", pipeline)
    with pytest.raises(LockLost):
        builder.swap_in(lock_token)
    assert redis.zscore(ORG_TOTAL, "S0001") == -100
    assert not redis.exists(EPOCH)


def test_leftovers_of_a_dead_build_are_dropped(redis: Redis, lock_token: str) -> None:
    BoardBuilder(redis, build_id="dead").add_points({ORG_TOTAL: {"S0001": 1}})
    redis.hset("lb:tmp:dead:names", "S0001", "x")
    assert drop_stale_builds(redis) == 2
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(POOL), max_size=20))
def test_a_rebuild_equals_applying_every_entry(redis: Redis, entries: list[dict]) -> None:
    distinct = list({e["id"]: e for e in entries}.values())
    redis.flushdb()
    redis.set(LOCK, "t")
    apply_batch(redis, distinct, "t")
    applied = scores(redis)
    redis.zadd("lb:{org:all:stale}", {"S0001": 1})
    swap_in(redis, *aggregate(distinct), "t")
    assert scores(redis) == applied
