"""The job that closes due sessions, on a real database: only sessions a set time past their
end, safe to run twice and from two workers at once (the absences are recorded once)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.contracts import CLOSE_SESSIONS_PENDING
from services.points.sessions.jobs import close_due_with
from services.settings import Settings
from tests.integration.points.sessions_help import add_members, iso, net, platform_events, schedule


def test_due_sessions_close_once_even_from_two_workers_at_once(
    org: FlaskClient, points_app: Flask, points_settings: Settings, redis: Redis
) -> None:
    add_members(org, *((f"J{i:03d}", "south") for i in range(30)))
    now = datetime.now(UTC).replace(microsecond=0)
    due = schedule(org, ["south"], starts_at=iso(now - timedelta(hours=3)),
                   ends_at=iso(now - timedelta(hours=2)))  # fmt: skip
    recent = schedule(org, ["south"])  # ended ten minutes ago: not due within 60
    redis.set(CLOSE_SESSIONS_PENDING, "1")
    results: list[dict] = []
    workers = [
        threading.Thread(target=lambda: results.append(close_due_with(points_settings)))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert len(results) == 2, results
    recorded = [r["closed"].get(due["id"], {}).get("absent", 0) for r in results]
    assert sum(recorded) == 31, results  # one closed it; the other found it closed
    assert len(platform_events(points_app)) == 31  # S002 and J000-J029
    assert net(points_app, "J000") == -3 and net(points_app, "S002") == -3
    assert not redis.exists(CLOSE_SESSIONS_PENDING)
    assert org.get(f"/api/v1/sessions/{due['id']}").get_json()["state"] == "closed"
    assert org.get(f"/api/v1/sessions/{recent['id']}").get_json()["state"] == "scheduled"
    again = close_due_with(points_settings)
    assert again["closed"] == {} and len(platform_events(points_app)) == 31
    later = close_due_with(points_settings, now + timedelta(hours=2))
    assert later["closed"][recent["id"]]["absent"] == 31
    assert net(points_app, "J000") == -6
