"""The boards and activity sets read back from Redis as plain values, and the check that they
are exactly what the real points service's ledger says, for the leaderboard's tests."""

from __future__ import annotations

from redis import Redis

from services.leaderboard.keys import APPLIED
from tests.integration.leaderboard.ledger import PointsService

ORG_TOTAL = "lb:{org:all:total}"


def scores(redis: Redis) -> dict[str, dict[str, int]]:
    """Every board as {board: {member: points}}."""
    boards: dict[str, dict[str, int]] = {}
    for key in redis.scan_iter(match="lb:{*"):
        members = redis.zrange(key, 0, -1, withscores=True)
        boards[key.decode()] = {m.decode(): int(-s) for m, s in members}
    return boards


def activity(redis: Redis) -> dict[str, set[str]]:
    return {
        key.decode(): {m.decode() for m in redis.smembers(key)}
        for key in redis.scan_iter(match="lb:act:{*")
    }


def org_totals(redis: Redis) -> dict[str, int]:
    return {m.decode(): int(-s) for m, s in redis.zrange(ORG_TOTAL, 0, -1, withscores=True)}


def assert_projected(redis: Redis, points: PointsService) -> None:
    """The boards are the ledger's sums, each entry counted once, and nothing is pending."""
    assert scores(redis) == points.boards()
    assert org_totals(redis) == points.member_totals()
    assert points.outbox() == []
    assert not redis.exists(APPLIED)
