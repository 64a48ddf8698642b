"""Rebuilding one period or one board, verifying (and repairing) planted drift, archiving
closed periods and expiring short ones, and the member mirror: run for real against the
real points service over HTTP, a real Redis and the leaderboard's real database."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask
from redis import Redis
from sqlalchemy import select

from services.leaderboard import jobs
from services.leaderboard.keys import INACTIVE, UNITS
from services.leaderboard.models import Archive, ArchiveRow
from tests.integration.leaderboard.boards import activity, assert_projected, scores
from tests.integration.leaderboard.ledger import PointsService, events

WEEK = "lb:{org:w2026-W48:total}"
DAY = "lb:{unit:north-ops:d2026-11-26:quiz}"


def adjust(points: PointsService, staff_no: str, amount: int, category: str) -> None:
    body = {"points": amount, "reason": "by hand", "category": category}
    status, answer = points.call("POST", f"/api/v1/members/{staff_no}/adjustments", body)
    assert status == 201, answer


def test_a_full_rebuild_gives_the_boards_the_projection_built(
    redis: Redis, points: PointsService
) -> None:
    """A varied ledger, projected entry by entry, then rebuilt from the ledger: members at
    every depth of the tree, a member who moved to another unit, penalties and deductions,
    a category literally named "total", days either side of week, quarter and year ends."""
    points.post_events(events(84))
    jobs.drain_projection()
    status, _ = points.call("PATCH", "/api/v1/members/S001", {"unit": "team-1"})
    assert status == 200
    points.post_events(events(42, start=84, prefix="moved"))
    adjust(points, "S002", -7, "conduct")
    adjust(points, "S004", 3, "total")
    adjust(points, "S001", 4, "adjustment")
    jobs.drain_projection()
    projected, active = scores(redis), activity(redis)
    assert projected == points.boards()  # the projection is right to begin with
    assert {"lb:{unit:north-ops:all:total}", "lb:{unit:team-1:all:total}"} <= set(projected)
    redis.zincrby("lb:{org:q2026-Q1:quiz}", -1, "S005")  # drift the rebuild must undo
    result = jobs.rebuild()
    assert result["rebuilt"]["entries"] == len(points.entries()) == 129
    assert scores(redis) == projected
    assert activity(redis) == active
    assert list(redis.scan_iter(match="lb:tmp:*")) == []
    assert jobs.verify()["drift"] == 0


def test_verify_reports_planted_drift_and_repairs_it(redis: Redis, points: PointsService) -> None:
    points.post_events(events(60))
    jobs.drain_projection()
    assert jobs.verify()["drift"] == 0
    redis.zincrby(WEEK, -5, "S001")  # five points too many
    redis.zadd(DAY, {"S999": -1})  # a member the ledger never saw
    redis.delete("lb:{org:y2021:total}")  # a board lost
    redis.srem("lb:act:{w2026-W48}", "S001")
    report = jobs.verify()
    assert {d["key"] for d in report["drifted"]} == {
        WEEK,
        DAY,
        "lb:{org:y2021:total}",
        "lb:act:{w2026-W48}",
    }
    assert report["repaired"] is False and redis.zscore(DAY, "S999") == -1
    assert jobs.verify(repair=True)["repaired"] is True
    assert jobs.verify()["drift"] == 0
    assert_projected(redis, points)


def test_verify_sees_no_drift_in_equal_boards_stored_differently(
    redis: Redis, points: PointsService
) -> None:
    points.post_events(events(20))
    jobs.drain_projection()
    board = "lb:{org:all:total}"
    before = redis.zrange(board, 0, -1, withscores=True)
    filler = {f"X{i:04d}": -1 for i in range(300)}
    redis.zadd(board, filler)  # a large sorted set is stored as a skip list...
    redis.zrem(board, *filler)  # ...and stays one when it shrinks back
    assert redis.object("encoding", board) == b"skiplist"
    assert redis.zrange(board, 0, -1, withscores=True) == before
    assert jobs.verify()["drift"] == 0


def test_rebuilding_one_board_and_one_period_leaves_the_rest_alone(
    redis: Redis, points: PointsService
) -> None:
    points.post_events(events(40))
    jobs.drain_projection()
    redis.zincrby(WEEK, -5, "S001")
    redis.zincrby("lb:{org:all:total}", -7, "S001")  # outside the rebuilt board: stays
    points.post_events(events(10, start=40))  # in the outbox during the rebuild
    result = jobs.rebuild(scope="org", period="week", at="2026-11-26", category="total")
    assert result["rebuilt"]["period_key"] == "w2026-W48"
    assert jobs.verify()["drifted"][0]["key"] == "lb:{org:all:total}"
    jobs.rebuild(period="all")
    assert jobs.verify()["drift"] == 0
    assert_projected(redis, points)


def test_closed_periods_are_archived_once_and_short_keys_expire(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    points.post_events(events(84))
    jobs.drain_projection()
    result = jobs.close_periods("2026-12-02")
    assert result["archived"] > 0
    assert jobs.close_periods("2026-12-02")["archived"] == 0  # once
    with app.extensions["db"].read() as session:
        board = session.scalar(
            select(Archive).where(
                Archive.scope == "org",
                Archive.period_key == "w2026-W48",
                Archive.category == "total",
            )
        )
        assert board is not None
        rows = session.scalars(
            select(ArchiveRow)
            .where(ArchiveRow.archive_id == board.id)
            .order_by(ArchiveRow.position)
        ).all()
    live = [(m.decode(), int(-s)) for m, s in redis.zrange(WEEK, 0, -1, withscores=True)]
    assert [(r.staff_no, r.points) for r in rows] == live
    client = app.test_client()
    winners = client.get("/api/v1/leaderboard/archive?period=week&at=2026-11-26&limit=3").get_json()
    assert winners["period_key"] == "w2026-W48" and winners["items"][0]["rank"] == 1
    history = client.get(f"/api/v1/members/{rows[0].staff_no}/history").get_json()
    assert history["items"][0]["period_key"] == "w2026-W48"
    assert 0 < redis.ttl(WEEK) and redis.ttl("lb:{org:m2026-11:total}") == -1
    # Day keys expire DAY_RETENTION after their day, week keys WEEK_RETENTION after the week.
    week_gone = datetime(2027, 3, 1, tzinfo=UTC).timestamp()  # 29 Nov + 91 days, then a day
    assert abs(time.time() + redis.ttl(WEEK) - week_gone) < 120
    day_gone = datetime(2028, 1, 1, tzinfo=UTC).timestamp()  # 26 Nov 2026 + 400 days + 1
    assert abs(time.time() + redis.ttl("lb:{org:d2026-11-26:total}") - day_gone) < 120


def test_sync_member_mirrors_state_and_unit(redis: Redis, points: PointsService) -> None:
    points.post_events(events(8))
    jobs.drain_projection()
    status, _ = points.call("PATCH", "/api/v1/members/S001", {"active": False, "unit": "south"})
    assert status == 200
    jobs.sync_member("S001", "Li Na", True)  # stale arguments: the points service's state wins
    assert redis.sismember(INACTIVE, "S001")
    assert redis.hget(UNITS, "S001") == b"south"
    points.call("PATCH", "/api/v1/members/S001", {"active": True})
    jobs.sync_member("S001", "Li Na", True)
    assert not redis.sismember(INACTIVE, "S001")
    # The unit move keeps what was earned in north-ops there.
    assert scores(redis)["lb:{unit:north-ops:all:total}"].get("S001") is not None
    jobs.rebuild()
    assert redis.hget(UNITS, "S001") == b"south" and redis.sismember(INACTIVE, "S003")
