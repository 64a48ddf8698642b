"""The gateway's access log and its /metrics, which only organisation-wide admins may read."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask

from services.common import access_log
from tests.integration.gateway.conftest import bearer, new_key
from tests.support import metric_value


def test_metrics_need_an_org_admin(gateway: Flask) -> None:
    client = gateway.test_client()
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.is_json
    reader = client.get("/metrics", headers=bearer(new_key(gateway, "reader", "read")))
    assert reader.status_code == 403 and "admin" in reader.get_json()["message"]
    admin = client.get("/metrics", headers=bearer(new_key(gateway, "admin", "admin")))
    assert admin.status_code == 200 and admin.content_type.startswith("text/plain")


def test_proxied_requests_count_by_routing_table_row(
    gateway: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = gateway.test_client()
    admin = bearer(new_key(gateway, "admin", "admin"))
    reader = new_key(gateway, "reader", "read")
    route = {"app": "gateway", "route": "/api/v1/units/**", "method": "GET", "status": "200"}
    count = "http_requests_total"
    before = metric_value(client.get("/metrics", headers=admin).text, count, **route)
    logger = logging.getLogger(access_log.LOGGER)
    logger.addHandler(caplog.handler)
    try:
        caplog.clear()
        answer = client.get(
            "/api/v1/units/north?token=query-value",
            headers={**bearer(reader), "Cookie": "other=cookie-value"},
        )
        assert answer.status_code == 200
        client.get("/api/v1/units/south", headers=bearer(reader))
    finally:
        logger.removeHandler(caplog.handler)
    after = metric_value(client.get("/metrics", headers=admin).text, count, **route)
    assert after == before + 2
    lines = [r for r in caplog.records if r.name == access_log.LOGGER]  # not the echo server's
    text = access_log.JsonFormatter().format(lines[0])
    line = json.loads(text)
    assert line["app"] == "gateway" and line["caller"] == "reader"
    assert line["route"] == "/api/v1/units/**" and line["path"] == "/api/v1/units/north"
    assert line["client"] == "127.0.0.1" and line["request_id"] == answer.headers["X-Request-Id"]
    for secret in (reader, "cookie-value", "query-value"):
        assert secret not in text


def test_access_log_off_writes_nothing(
    make_gateway: object, echo_urls: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    gateway = make_gateway(echo_urls, access_log=False)  # type: ignore[operator]
    logger = logging.getLogger(access_log.LOGGER)
    logger.addHandler(caplog.handler)
    try:
        caplog.clear()
        assert gateway.test_client().get("/healthz").status_code == 200
    finally:
        logger.removeHandler(caplog.handler)
    assert [r for r in caplog.records if r.name == access_log.LOGGER] == []
