"""Racing replays over real HTTP, and intake while Redis is down."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import urllib3
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.common.internal_only import EXTENSION
from services.points.models import Event, LedgerEntry
from services.settings import Settings
from tests.support import free_port, serving, signed_call

EVENT = {
    "id": "race-1",
    "type": "attendance",
    "member": "S001",
    "occurred_at": "2026-11-20T09:00:00+08:00",
    "data": {"status": "on_time", "session": "s-1"},
}


def racing_posts(points_app: Flask, path: str, body: dict[str, Any], times: int = 20) -> list[int]:
    """The statuses, sorted, of ``times`` posts of one body at once over real HTTP."""
    http = urllib3.PoolManager(maxsize=times)
    with serving(points_app) as url:
        signer = points_app.extensions[EXTENSION]

        def post(_: int) -> int:
            return signed_call(http, signer, url, "POST", path, body)[0]

        with ThreadPoolExecutor(max_workers=times) as pool:
            return sorted(pool.map(post, range(times)))


def test_twenty_concurrent_posts_of_one_event_award_once(org: FlaskClient, points_app: Flask):
    statuses = racing_posts(points_app, "/api/v1/events", EVENT)
    assert statuses == [200] * 19 + [201]
    with points_app.extensions["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 1
        assert session.scalar(select(func.sum(LedgerEntry.points))) == 2


def test_intake_keeps_recording_while_redis_is_down(
    points_settings: Settings, org: FlaskClient
) -> None:
    """The ledger is the truth: with Redis unreachable the event is still recorded (201) and
    waits in the outbox for the periodic drain."""
    from services.points.app import create_app

    dead_redis = points_settings.with_overrides(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    client = create_app(dead_redis).test_client()
    response = client.post("/api/v1/events", json=EVENT)
    assert response.status_code == 201
    history = org.get("/api/v1/members/S001/ledger").get_json()
    assert history["total_points"] == 2
    outbox = client.get("/internal/v1/outbox").get_json()["items"]
    assert [item["entry"]["member"] for item in outbox] == ["S001"]


def test_concurrent_creates_of_one_unit_make_one_and_conflict_for_the_rest(
    points_client: FlaskClient, points_app: Flask
) -> None:
    """Each create checks that the code is free, then inserts: racing creates all pass the
    check, and the unique index lets one in. The others are a 409, never a 500."""
    statuses = racing_posts(points_app, "/api/v1/units", {"code": "race-unit", "name": "Race"})
    assert statuses == [201] + [409] * 19
    codes = [u["code"] for u in points_client.get("/api/v1/units").get_json()]
    assert codes.count("race-unit") == 1
