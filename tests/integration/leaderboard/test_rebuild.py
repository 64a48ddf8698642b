"""Rebuilding boards from the ledger: build aside, then swap in at once (Redis side)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from redis.client import Pipeline

from services.leaderboard.keys import APPLIED, EPOCH, LOCK, NAMES
from services.leaderboard.projection.script import LockLost, apply_batch
from services.leaderboard.rebuild.build import Target, add_page
from services.leaderboard.rebuild.builder import BoardBuilder, drop_stale_builds
from tests.entries import entries_strategy, feed_pages, make_entry
from tests.integration.leaderboard.boards import ORG_TOTAL, activity, scores

OLD_DAY = "lb:{org:d2020-01-01:total}"


def seed_old(redis: Redis) -> None:
    redis.zadd(ORG_TOTAL, {"S0001": -100})
    redis.zadd(OLD_DAY, {"S0001": -100})
    redis.hset(NAMES, mapping={"S0001": "Old Name", "S0404": "Gone"})
    redis.sadd(APPLIED, "7")


def built(
    redis: Redis, entries: list[dict], page_size: int = 100, target: Target | None = None
) -> BoardBuilder:
    """A builder filled with the entries' sums, paged as the points service pages them."""
    target = target or Target()
    builder = BoardBuilder(redis, owns=None if target.everything else target.owns)
    for page in feed_pages(entries, page_size):
        add_page(builder, page, target)
    builder.derive()
    return builder


def test_old_boards_stay_readable_until_the_swap(redis: Redis, lock_token: str) -> None:
    seed_old(redis)
    builder = built(redis, [make_entry(1, "S0001", 6)])
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
    entries = [make_entry(1, "S0001", 6), make_entry(2, "S0001", 4), make_entry(3, "S0002", -1)]
    built(redis, entries, page_size=1).swap_in(lock_token)
    assert scores(redis)["lb:{unit:north-ops:d2026-11-26:quiz}"] == {"S0001": 10, "S0002": -1}
    assert redis.zscore(ORG_TOTAL, "S0001") == -10
    assert activity(redis)["lb:act:{w2026-W48}"] == {"S0001"}  # a penalty is no activity


def test_an_empty_ledger_empties_every_board(redis: Redis, lock_token: str) -> None:
    seed_old(redis)
    built(redis, []).swap_in(lock_token)
    assert scores(redis) == {}
    assert not redis.exists(NAMES) and not redis.exists(APPLIED)
    assert redis.exists(EPOCH)


def test_a_swap_without_the_lock_changes_nothing_and_cleans_up(redis: Redis) -> None:
    seed_old(redis)
    redis.set(LOCK, "someone-else")
    builder = built(redis, [make_entry(1, "S0001", 6)])
    with pytest.raises(LockLost):
        builder.swap_in("mine")
    builder.discard()
    assert redis.zscore(ORG_TOTAL, "S0001") == -100
    assert redis.exists(OLD_DAY) and redis.sismember(APPLIED, "7")
    assert not redis.exists(EPOCH)
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


def test_a_lock_taken_over_between_check_and_exec_aborts_the_swap(
    redis: Redis, lock_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_old(redis)
    builder = built(redis, [make_entry(1, "S0001", 6)])
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
    built(redis, [make_entry(1, "S0001", 6)])
    assert list(redis.scan_iter(match="lb:tmp:*"))
    assert drop_stale_builds(redis) > 0
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


def test_a_partial_build_replaces_only_what_it_owns(redis: Redis, lock_token: str) -> None:
    entries = [make_entry(1, "S0001", 6), make_entry(2, "S0002", 3, category="attendance")]
    apply_batch(redis, entries, lock_token)
    redis.zincrby(ORG_TOTAL, -5, "S0001")  # drift outside the rebuilt board: stays
    redis.zincrby("lb:{org:w2026-W48:quiz}", -5, "S0001")
    before = scores(redis)
    week = Target("org", "week", "w2026-W48", "quiz")
    builder = built(redis, entries, target=week)
    assert builder.boards == {"lb:{org:w2026-W48:quiz}"}
    builder.swap_in(lock_token)
    assert scores(redis) == {**before, "lb:{org:w2026-W48:quiz}": {"S0001": 6}}
    assert list(redis.scan_iter(match="lb:tmp:*")) == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries_strategy, st.integers(min_value=1, max_value=7))
def test_a_rebuild_equals_applying_every_entry(
    redis: Redis, entries: list[dict], page_size: int
) -> None:
    """Any ledger, paged any way: the rebuilt boards and activity sets are the ones the
    projection builds entry by entry, and no temporary key is left."""
    redis.flushdb()
    redis.set(LOCK, "t")
    apply_batch(redis, entries, "t")
    applied, active = scores(redis), activity(redis)
    redis.zadd("lb:{org:all:stale}", {"S0001": 1})
    built(redis, entries, page_size).swap_in("t")
    assert scores(redis) == applied
    assert activity(redis) == active
    assert [k for k in redis.scan_iter(match="lb:tmp:*")] == []
