"""Applying ledger entries to boards exactly once, on a real Redis."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis

from services.leaderboard.keys import APPLIED, LOCK, NAMES, boards_for
from services.leaderboard.projection.script import LockLost, apply_batch, release_applied
from tests.entries import make_entry
from tests.integration.leaderboard.boards import ORG_TOTAL, scores


def expected(entries: list[dict]) -> dict[str, dict[str, int]]:
    """Straight from the definition: each distinct entry once on each of its boards."""
    boards: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in {e["id"]: e for e in entries}.values():
        for board in boards_for(entry):
            boards[board][entry["member"]] += entry["points"]
    return {board: dict(members) for board, members in boards.items()}


def test_a_batch_lands_on_every_board_with_names(redis: Redis, lock_token: str) -> None:
    batch = [make_entry(1, "S0001", 6), make_entry(2, "S0002", 3, category="attendance")]
    assert apply_batch(redis, batch, lock_token) == 2
    assert scores(redis) == expected(batch)
    assert len(scores(redis)) == 3 * 6 * 2 + 3 * 6  # total boards shared, two categories
    assert redis.zscore(ORG_TOTAL, "S0001") == -6
    assert redis.hget(NAMES, "S0002") == b"Name of S0002"
    assert redis.smembers(APPLIED) == {b"1", b"2"}


def test_the_same_batch_twice_is_applied_once(redis: Redis, lock_token: str) -> None:
    batch = [make_entry(1, "S0001", 6), make_entry(2, "S0001", 4)]
    assert apply_batch(redis, batch, lock_token) == 2
    assert apply_batch(redis, batch, lock_token) == 0
    assert redis.zscore(ORG_TOTAL, "S0001") == -10


def test_duplicates_inside_one_batch_count_once(redis: Redis, lock_token: str) -> None:
    batch = [make_entry(1, "S0001", 6)] * 3
    assert apply_batch(redis, batch, lock_token) == 1
    assert redis.zscore(ORG_TOTAL, "S0001") == -6


def test_a_lost_ack_then_redelivery_is_applied_once(redis: Redis, lock_token: str) -> None:
    batch = [make_entry(1, "S0001", 6), make_entry(2, "S0002", 1)]
    apply_batch(redis, batch, lock_token)
    # The worker died before acknowledging: the outbox hands the rows over again, with more.
    redelivered = [*batch, make_entry(3, "S0001", 2)]
    assert apply_batch(redis, redelivered, lock_token) == 1
    assert release_applied(redis, [1, 2, 3], lock_token) == 3
    assert redis.zscore(ORG_TOTAL, "S0001") == -8
    assert scores(redis) == expected(redelivered)
    assert redis.scard(APPLIED) == 0


def test_a_wrong_lock_token_is_refused_and_changes_nothing(redis: Redis, lock_token: str) -> None:
    apply_batch(redis, [make_entry(1, "S0001", 6)], lock_token)
    before = scores(redis)
    with pytest.raises(LockLost):
        apply_batch(redis, [make_entry(2, "S0001", 4)], "someone-else")
    assert scores(redis) == before
    assert redis.smembers(APPLIED) == {b"1"}


def test_no_lock_at_all_is_refused(redis: Redis) -> None:
    with pytest.raises(LockLost):
        apply_batch(redis, [make_entry(1)], "any-token")
    assert scores(redis) == {} and not redis.exists(APPLIED)


def test_a_malformed_entry_fails_the_whole_batch_before_any_write(
    redis: Redis, lock_token: str
) -> None:
    bad = make_entry(2, unit_path=("north", "no:colons"))
    with pytest.raises(ValueError):
        apply_batch(redis, [make_entry(1), bad], lock_token)
    with pytest.raises(ValueError, match="integer"):
        apply_batch(redis, [make_entry(1), {**make_entry(3), "points": 1.5}], lock_token)
    assert scores(redis) == {} and not redis.exists(APPLIED)


def test_a_drain_that_lost_its_lock_cannot_release_ids_the_new_holder_relies_on(
    redis: Redis, lock_token: str
) -> None:
    # A applies, then its lock expires and B takes it and fetches the same (unacked) rows.
    batch = [make_entry(1, "S0001", 6)]
    apply_batch(redis, batch, lock_token)
    redis.set(LOCK, "drain-b")
    # A's ack went through; its release must not make B apply the rows again.
    with pytest.raises(LockLost):
        release_applied(redis, [1], lock_token)
    assert apply_batch(redis, batch, "drain-b") == 0
    assert release_applied(redis, [1], "drain-b") == 1
    assert redis.zscore(ORG_TOTAL, "S0001") == -6


POOL = [
    make_entry(i, f"S{i % 4:04d}", points, category=category, unit_path=path, local_date=day)
    for i, (points, category, path, day) in enumerate(
        [
            (6, "quiz", ("north", "north-ops"), "2026-11-26"),
            (-3, "attendance", ("north",), "2026-11-27"),
            (2, "attendance", ("south", "south-a", "team-1"), "2020-12-31"),
            (8, "practice", (), "2021-01-01"),
            (10, "quiz", ("north", "north-ops"), "2026-11-26"),
            (1, "custom", ("south",), "2027-01-01"),
            (5, "quiz", ("north",), "2026-03-31"),
            (0, "attendance", ("north", "north-ops"), "2026-04-01"),
        ],
        start=1,
    )
]

steps = st.lists(
    st.tuples(
        st.sampled_from(["deliver", "ack"]),
        st.lists(st.integers(min_value=0, max_value=len(POOL) - 1), max_size=12),
    ),
    max_size=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_any_redelivery_gives_each_distinct_entry_once(
    redis: Redis, steps: list[tuple[str, list[int]]]
) -> None:
    """The outbox may hand rows over any number of times, in any grouping, until they are
    acknowledged; acknowledged rows never come back. Boards end as the sum of distinct entries.
    """
    redis.flushdb()
    redis.set(LOCK, "t")
    outbox = {entry["id"] for entry in POOL}
    applied: set[int] = set()
    for action, picks in steps:
        ids = [POOL[i]["id"] for i in picks if POOL[i]["id"] in outbox]
        if action == "deliver":
            apply_batch(redis, [e for i in ids for e in POOL if e["id"] == i], "t")
            applied.update(ids)
        else:  # only rows a drain applied are ever acknowledged
            acked = [i for i in ids if i in applied]
            outbox.difference_update(acked)
            release_applied(redis, acked, "t")
    # A final drain takes what is left.
    apply_batch(redis, [e for e in POOL if e["id"] in outbox], "t")
    assert scores(redis) == expected(POOL)
