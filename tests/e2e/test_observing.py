"""Metrics under gunicorn: two workers per process, one sum (multiprocess mode), read from a
service on loopback without a signature and from the gateway with an admin key."""

from __future__ import annotations

import signal

import pytest
import urllib3

from tests.harness import Platform, quiz, wait_until
from tests.harness.metrics import scrape
from tests.support import metric_value

pytestmark = pytest.mark.e2e

REQUESTS = 20
REQUESTS_TOTAL = "http_requests_total"
SCRAPES = 6


def test_counts_add_up_across_both_workers(platform: Platform, admin_key: str) -> None:
    at_points = {"app": "points", "route": "/api/v1/units", "method": "GET", "status": "200"}
    at_gateway = {**at_points, "app": "gateway", "route": "/api/v1/units/**"}
    count = "http_requests_total"
    points_before = metric_value(scrape(platform, "points"), count, **at_points)
    gateway_before = metric_value(scrape(platform, "gateway", admin_key), count, **at_gateway)
    for _ in range(REQUESTS):
        status, body, _ = platform.call("GET", "/api/v1/units", None, platform.reader_key)
        assert status == 200, body
    # Whichever worker answers a scrape, it sums every worker's samples.
    for _ in range(SCRAPES):
        assert metric_value(scrape(platform, "points"), count, **at_points) == (
            points_before + REQUESTS
        )
        assert metric_value(scrape(platform, "gateway", admin_key), count, **at_gateway) == (
            gateway_before + REQUESTS
        )
    workers = {
        path.stem.rsplit("_", 1)[-1]
        for path in (platform.var_dir / "metrics" / "gateway").glob("counter_*.db")
    }
    assert len(workers) == 2, workers


def test_the_gateways_metrics_are_refused_without_an_admin(platform: Platform) -> None:
    url = f"http://127.0.0.1:{platform.settings.ports['gateway']}/metrics"
    assert urllib3.request("GET", url, retries=False).status == 401
    reader = {"Authorization": f"Bearer {platform.reader_key}"}
    assert urllib3.request("GET", url, headers=reader, retries=False).status == 403


@pytest.fixture(scope="module")
def member(platform: Platform, admin_key: str) -> str:
    unit = {"code": "ob-unit", "name": "Observed"}
    assert platform.call("POST", "/api/v1/units", unit, key=admin_key).status == 201
    body = {"staff_no": "OB-1", "name": "Observed member", "unit": "ob-unit"}
    assert platform.call("POST", "/api/v1/members", body, key=admin_key).status == 201
    return "OB-1"


def test_the_intake_counts_what_was_posted_and_the_backlog_drains_to_zero(
    platform: Platform, admin_key: str, member: str
) -> None:
    points_before = scrape(platform, "points")
    gateway_before = scrape(platform, "gateway", admin_key)
    platform.kill("worker", signal.SIGTERM)  # the backlog stays until a worker is back
    try:
        new = [quiz(f"ob-{i}", member) for i in range(3)]
        assert platform.post_events(new)[0] == 201  # 3 accepted
        bad = {**quiz("ob-bad", member), "member": ""}
        mixed = [*new[:2], quiz("ob-3", member), bad]
        status, body = platform.post_events(mixed)  # 1 accepted, 2 duplicates, 1 rejected
        assert status == 207 and (body["accepted"], body["duplicates"]) == (1, 2), body
        reply = platform.call("POST", "/api/v1/events", bad, key=platform.sender_key)
        assert reply.status == 422, reply.body  # 1 rejected
        points = scrape(platform, "points")
        assert metric_value(points, "points_outbox_depth") == 4
        assert metric_value(points, "points_projection_lag_seconds") > 0
        # A drain is queued at once, or, when a drain the stopped worker had taken left the
        # pending flag set, by the ticker once the flag expires (PENDING_SECONDS).
        wait_until(lambda: queued(platform) >= 1, 30, 0.2, "a drain waiting in the queue")
    finally:
        platform.start("worker")
    gateway = scrape(platform, "gateway", admin_key)
    for outcome, posted in (("accepted", 4), ("duplicate", 2), ("rejected", 2)):
        moved = moved_by(points_before, points, "points_events_total", outcome=outcome)
        assert moved == posted, (outcome, moved)
    for status_code in ("201", "207", "422"):
        intake = {"route": "/api/v1/events", "method": "POST", "status": status_code}
        at_points = moved_by(points_before, points, REQUESTS_TOTAL, app="points", **intake)
        at_gateway = moved_by(gateway_before, gateway, REQUESTS_TOTAL, app="gateway", **intake)
        assert at_points == at_gateway == 1, (status_code, at_points, at_gateway)

    def drained() -> bool:
        points = scrape(platform, "points")
        figures = [
            metric_value(points, "points_outbox_depth"),
            metric_value(points, "points_projection_lag_seconds"),
            queued(platform),
        ]
        assert figures == [0, 0, 0], figures
        return True

    wait_until(drained, 60, 0.2, "the outbox, its lag and the projection queue back to 0")


def moved_by(before: str, after: str, name: str, **labels: str) -> float:
    return metric_value(after, name, **labels) - metric_value(before, name, **labels)


def queued(platform: Platform) -> float:
    """Drains waiting in the projection queue."""
    board = scrape(platform, "leaderboard")
    return metric_value(board, "rq_jobs", queue="projection", state="queued")
