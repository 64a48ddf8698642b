"""Team standings and most improved, read from results shared across workers
(services/leaderboard/reads/shared.py): their totals are the ledger's, after the projection,
after a member moves and after a rebuild; concurrent readers compute a result once; a write
shows within the freshness window; a replaced result's keys go."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select

from services.leaderboard import jobs
from services.leaderboard.keys import GENERATION
from services.leaderboard.reads import shared
from services.points.models import Member, Unit
from tests.integration.leaderboard.ledger import PointsService, events

# (query, first and last local day of its window; None: since the beginning)
WINDOWS = (
    ("period=all", None, None),
    ("period=week&at=2026-11-26", "2026-11-23", "2026-11-29"),
    ("period=range&from=2026-11-22&to=2026-11-26", "2026-11-22", "2026-11-26"),
)
PARENTS = (None, "north", "south", "south-a")


def directory(points: PointsService) -> dict[str, tuple[list[str], bool]]:
    """Each member's current unit path and whether they are active, from the points database."""
    with points.app.extensions["db"].read() as session:
        tree = {u.id: (u.code, u.parent_id) for u in session.scalars(select(Unit))}
        members = session.scalars(select(Member)).all()
        found = {}
        for member in members:
            path, unit_id = [], member.unit_id
            while unit_id is not None:
                code, unit_id = tree[unit_id]
                path.insert(0, code)
            found[member.staff_no] = (path, member.active)
    return found


def expected(
    points: PointsService, parent: str | None, first: str | None, last: str | None
) -> list[tuple[str, int, int, int]]:
    """(unit, members, participants, points) of the units under ``parent``, from the ledger
    and the directory alone: what docs/architecture.md ("Team standings") defines."""
    people = directory(points)
    shown = {m for m, (_, active) in people.items() if active}
    within = [
        e
        for e in points.entries()
        if first is None or (first <= e["local_date"] <= last)  # type: ignore[operator]
    ]
    paths = [path for path, _ in people.values()]
    if parent is None:
        units = {path[0] for path in paths if path}
    else:
        units = {path[path.index(parent) + 1] for path in paths if parent in path[:-1]}
    rows = []
    for unit in sorted(units):
        members = {m for m in shown if unit in people[m][0]}
        earned = sum(e["points"] for e in within if unit in e["unit_path"] and e["member"] in shown)
        active = {e["member"] for e in within if e["points"] > 0} & members
        rows.append((unit, len(members), len(active), earned))
    return rows


def answered(client: FlaskClient, query: str) -> list[tuple[str, int, int, int]]:
    response = client.get(f"/api/v1/leaderboard/teams?{query}&by=total")
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    return sorted((i["unit"], i["members"], i["participants"], i["points"]) for i in items)


def assert_teams_are_the_ledger(client: FlaskClient, points: PointsService) -> None:
    for query, first, last in WINDOWS:
        for parent in PARENTS:
            asked = query + (f"&parent={parent}" if parent else "")
            assert answered(client, asked) == expected(points, parent, first, last), asked


@pytest.fixture
def exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """No freshness window: every write shows at once (the window is tested on its own)."""
    monkeypatch.setattr(shared, "FRESH_SECONDS", 0)
    monkeypatch.setattr(shared, "COST_SHARE", 0)


@pytest.mark.usefixtures("exact")
def test_team_totals_are_the_ledger_after_projection_a_move_and_a_rebuild(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    client = app.test_client()
    points.post_events(events(84))
    jobs.drain_projection()
    assert_teams_are_the_ledger(client, points)

    status, _ = points.call("PATCH", "/api/v1/members/S001", {"unit": "team-1"})
    assert status == 200
    jobs.sync_member("S001", "Li Na", True)  # what the points service enqueued
    points.post_events(events(42, start=84, prefix="moved"))
    status, _ = points.call("PATCH", "/api/v1/members/S002", {"active": False})
    assert status == 200
    jobs.sync_member("S002", "Wang Wei", False)  # left out: their points and themselves
    jobs.drain_projection()
    assert_teams_are_the_ledger(client, points)  # members follow the move, points stay

    redis.flushdb()  # Redis lost everything: the next drain rebuilds from the ledger
    jobs.drain_projection()
    assert_teams_are_the_ledger(client, points)
    redis.zincrby("lb:{unit:south:all:total}", -50, "S004")  # drift that a rebuild undoes
    redis.incr(GENERATION)
    assert answered(client, "period=all")[1][3] == expected(points, None, None, None)[1][3] + 50
    jobs.rebuild()
    assert_teams_are_the_ledger(client, points)


@pytest.mark.usefixtures("exact")
def test_compare_units_and_units_without_members(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    client = app.test_client()
    points.post_events(events(84))
    jobs.drain_projection()
    query = "/api/v1/leaderboard/compare?period=all&units=north&units=south&by=total"

    def compared() -> dict[str, tuple[int, int]]:
        units = client.get(query).get_json()["units"]
        return {u["unit"]: (u["members"], u["points"]) for u in units}

    def ledger() -> dict[str, tuple[int, int]]:
        rows = {row[0]: (row[1], row[3]) for row in expected(points, None, None, None)}
        return {"north": rows["north"], "south": rows["south"]}

    assert compared() == ledger()
    status, _ = points.call("PATCH", "/api/v1/members/S005", {"unit": "team-1"})
    assert status == 200
    jobs.sync_member("S005", "Zhou Lin", True)  # north keeps S005's points, not S005
    assert compared() == ledger()
    gone = "period=all&units=north-ops&units=nobody&by=total"
    units = client.get(f"/api/v1/leaderboard/compare?{gone}").get_json()["units"]
    assert [(u["unit"], u["members"]) for u in units] == [("north-ops", 1), ("nobody", 0)]
    assert units[1]["points"] == 0 and units[1]["per_member"] is None


def run_together(count: int, read: Callable[[], Any]) -> list[Any]:
    """``count`` threads calling ``read`` at the same moment; their answers."""
    start, answers = threading.Barrier(count), []

    def one() -> None:
        start.wait()
        answers.append(read())

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == count
    return answers


def test_concurrent_readers_compute_once_and_wait_for_it(redis: Redis) -> None:
    computed: list[int] = []

    def slow() -> dict[str, int]:
        computed.append(1)
        time.sleep(0.3)  # long enough for every other reader to find the lock taken
        return {"n": len(computed)}

    answers = run_together(8, lambda: shared.shared(redis, "slow", slow))
    assert computed == [1] and answers == [{"n": 1}] * 8
    assert not redis.exists(shared.SHARED_PREFIX + "lock:slow")


def test_a_write_shows_within_the_freshness_window(
    redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Served as it is while no write happened, however old; after a write, at most
    FRESH_SECONDS old; while one reader computes a newer one, the others serve the old one."""
    counter = iter(range(100))
    assert shared.shared(redis, "n", lambda: next(counter)) == 0
    monkeypatch.setattr(shared, "FRESH_SECONDS", 0.3)
    time.sleep(0.4)
    assert shared.shared(redis, "n", lambda: next(counter)) == 0  # nothing was written
    redis.incr(GENERATION)
    assert shared.shared(redis, "n", lambda: next(counter)) == 1  # stale and old: computed
    redis.incr(GENERATION)
    assert shared.shared(redis, "n", lambda: next(counter)) == 1  # within the window
    time.sleep(0.4)
    computing = threading.Event()

    def slow() -> int:
        computing.set()
        time.sleep(0.5)
        return next(counter)

    newer = threading.Thread(target=lambda: shared.shared(redis, "n", slow))
    newer.start()
    assert computing.wait(5)
    assert shared.shared(redis, "n", lambda: next(counter)) == 1  # the previous answer
    newer.join(5)
    assert shared.shared(redis, "n", lambda: next(counter)) == 2


def test_a_costly_result_is_kept_ten_times_as_long_as_it_took(
    redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recomputing costs at most a tenth of the time, however long a computation takes."""
    monkeypatch.setattr(shared, "FRESH_SECONDS", 0)
    counter = iter(range(100))

    def slow() -> int:
        time.sleep(0.1)
        return next(counter)

    assert shared.shared(redis, "n", slow) == 0
    redis.incr(GENERATION)
    assert shared.shared(redis, "n", slow) == 0  # took 0.1 s: kept for 1 s after it began
    time.sleep(1.0)
    assert shared.shared(redis, "n", slow) == 1


def test_concurrent_team_and_improved_reads_compute_once(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    points.post_events(events(84))
    jobs.drain_projection()
    client = app.test_client()
    before = redis.info("commandstats").get("cmdstat_hscan", {}).get("calls", 0)
    query = "period=week&at=2026-11-26"
    bodies = run_together(
        6, lambda: client.get(f"/api/v1/leaderboard/teams?{query}").get_json()["items"]
    )
    assert all(body == bodies[0] for body in bodies) and bodies[0]
    after = redis.info("commandstats")["cmdstat_hscan"]["calls"]
    assert after - before == 1  # one pass over the members for every reader
    for by, made in (("points", 1), ("rank", 3)):  # a board of gains; then of places, ranks
        improved = f"/api/v1/leaderboard/improved?{query}&by={by}"
        pages = run_together(6, lambda improved=improved: client.get(improved).get_json())
        assert all(page == pages[0] for page in pages) and pages[0]["items"]
        assert len(list(redis.scan_iter(match=shared.SHARED_PREFIX + "made:*"))) == made


@pytest.mark.usefixtures("exact")
def test_a_replaced_most_improved_result_lets_its_keys_go(
    app: Flask, redis: Redis, points: PointsService
) -> None:
    points.post_events(events(84))
    jobs.drain_projection()
    client = app.test_client()
    improved = "/api/v1/leaderboard/improved?period=week&at=2026-11-26&by=rank"
    first = client.get(improved).get_json()
    made = sorted(redis.scan_iter(match=shared.SHARED_PREFIX + "made:*"))
    assert all(redis.ttl(key) > shared.KEEP_SECONDS for key in made)
    redis.incr(GENERATION)
    assert client.get(improved).get_json() == first
    assert all(0 < redis.ttl(key) <= 30 for key in made)  # RETIRED_SECONDS
    assert len(list(redis.scan_iter(match=shared.SHARED_PREFIX + "made:*"))) == 4
