"""Metrics under gunicorn: two workers per process, one sum (multiprocess mode), read from a
service on loopback without a signature and from the gateway with an admin key."""

from __future__ import annotations

import urllib3

from tests.harness import Platform
from tests.support import metric_value

REQUESTS = 20
SCRAPES = 6


def scrape(platform: Platform, part: str, key: str = "") -> str:
    """One scrape on a new connection, so that any worker may answer it."""
    headers = {"Connection": "close", **({"Authorization": f"Bearer {key}"} if key else {})}
    url = f"http://127.0.0.1:{platform.settings.ports[part]}/metrics"
    response = urllib3.request("GET", url, headers=headers, retries=False, timeout=30)
    assert response.status == 200, response.data
    return response.data.decode()


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
