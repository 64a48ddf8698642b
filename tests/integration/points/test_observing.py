"""A service's access log and /metrics, on the points app with its real database."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from services.common import access_log
from services.common.db import utcnow
from services.contracts import SENDER_HEADER
from services.points.models import LedgerEntry
from tests.integration.points.outbox import post_quizzes, settle
from tests.support import metric_value


@pytest.fixture
def access_lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The access logger's records (it does not propagate: its lines stand alone on stderr)."""
    logger = logging.getLogger(access_log.LOGGER)
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def scrape(app: Flask) -> str:
    """As the machine's scraper reads it: unsigned, straight to the service."""
    response = app.test_client(signed=False).get("/metrics")
    assert response.status_code == 200, response.data
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)


def test_each_request_is_one_json_line_without_query_or_credentials(
    org: FlaskClient, access_lines: pytest.LogCaptureFixture
) -> None:
    access_lines.clear()
    headers = {
        SENDER_HEADER: "test-sender",
        "Authorization": "Bearer lk_secret_value",
        "Cookie": "li_session=cookie-value",
    }
    response = org.get("/api/v1/members/S001?token=query-value", headers=headers)
    assert response.status_code == 200
    (record,) = access_lines.records
    text = access_log.JsonFormatter().format(record)
    line = json.loads(text)
    assert list(line) == [
        "time",
        "app",
        "request_id",
        "method",
        "route",
        "path",
        "status",
        "duration_ms",
        "caller",
    ]
    assert line["app"] == "points" and line["method"] == "GET" and line["status"] == 200
    assert line["route"] == "/api/v1/members/<staff_no>"
    assert line["path"] == "/api/v1/members/S001"
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["caller"] == "test-sender" and line["duration_ms"] >= 0
    for secret in ("lk_secret_value", "cookie-value", "query-value", "token="):
        assert secret not in text


def test_the_caller_header_is_the_contracts_sender_header() -> None:
    assert access_log.CALLER_HEADER == SENDER_HEADER


def test_metrics_count_by_route_and_need_no_signature(points_app: Flask, org: FlaskClient) -> None:
    route = {"app": "points", "route": "/api/v1/members/<staff_no>", "method": "GET"}
    before = metric_value(scrape(points_app), "http_requests_total", status="200", **route)
    for staff_no in ("S001", "S002", "S001"):
        assert org.get(f"/api/v1/members/{staff_no}").status_code == 200
    text = scrape(points_app)
    assert metric_value(text, "http_requests_total", status="200", **route) == before + 3
    assert metric_value(text, "http_request_duration_seconds_count", **route) >= before + 3
    assert "/api/v1/members/S001" not in text  # raw ids never become labels
    assert "points_outbox_depth" in text


def test_refused_and_rejected_requests_are_counted(points_app: Flask, org: FlaskClient) -> None:
    before = scrape(points_app)
    stranger = points_app.test_client(signed=False).get("/api/v1/members/S001")
    assert stranger.status_code == 401
    assert org.post("/api/v1/events", json={"id": "e1", "type": "quiz"}).status_code == 422
    after = scrape(points_app)
    unmatched = {"app": "points", "route": "/api/v1/members/<staff_no>", "status": "401"}
    for name, labels in (
        ("http_requests_total", unmatched),
        ("points_events_total", {"outcome": "rejected"}),
    ):
        assert metric_value(after, name, **labels) == metric_value(before, name, **labels) + 1


def test_the_projection_backlog_is_its_depth_and_the_age_of_its_oldest_entry(
    points_app: Flask, org: FlaskClient
) -> None:
    text = scrape(points_app)
    assert metric_value(text, "points_outbox_depth") == 0
    assert metric_value(text, "points_projection_lag_seconds") == 0
    post_quizzes(org, 3)
    db = points_app.extensions["db"]
    with db.write() as session:  # the first entry written two minutes ago
        first = session.scalar(select(func.min(LedgerEntry.id)))
        session.execute(
            update(LedgerEntry)
            .where(LedgerEntry.id == first)
            .values(created_at=utcnow() - timedelta(seconds=120))
        )
    text = scrape(points_app)
    assert metric_value(text, "points_outbox_depth") == 3
    assert 120 <= metric_value(text, "points_projection_lag_seconds") < 150
    settle(org, 1)  # the oldest projected: the lag is the next one's, written just now
    text = scrape(points_app)
    assert metric_value(text, "points_outbox_depth") == 2
    assert 0 < metric_value(text, "points_projection_lag_seconds") < 30
    settle(org)
    text = scrape(points_app)
    assert metric_value(text, "points_outbox_depth") == 0
    assert metric_value(text, "points_projection_lag_seconds") == 0
