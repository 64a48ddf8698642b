"""The gateway in front of real HTTP upstreams: auth, scopes, routing, headers, failures."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import urllib3
from flask import Flask

from tests.integration.gateway.conftest import GatewayFactory, bearer, echo_app, new_key
from tests.support import serving


@pytest.fixture
def admin_key(gateway: Flask) -> str:
    return new_key(gateway, "hr-roster", "admin")


def test_missing_malformed_and_unknown_keys_get_401(gateway: Flask) -> None:
    client = gateway.test_client()
    real = new_key(gateway, "checkin-terminal", "read")
    wrong_secret = real[:12] + ("A" if real[12] != "A" else "B") + real[13:]
    attempts = {
        "no header": {},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "empty bearer": {"Authorization": "Bearer "},
        "not a key": bearer("hello"),
        "unknown prefix": bearer("lk_00000000_" + "x" * 43),
        "wrong secret": bearer(wrong_secret),
    }
    for label, headers in attempts.items():
        answer = client.get("/api/v1/units", headers=headers)
        assert answer.status_code == 401, label
        assert answer.headers["WWW-Authenticate"] == "Bearer", label
        assert answer.json["code"] == 401 and answer.json["status"] == "Unauthorized", label
        assert answer.json["message"], label


def test_a_key_without_the_scope_gets_403_naming_it(gateway: Flask) -> None:
    client = gateway.test_client()
    events_only = new_key(gateway, "checkin-terminal", "events")
    reader = new_key(gateway, "dashboard", "read")
    answer = client.get("/api/v1/leaderboard", headers=bearer(events_only))
    assert answer.status_code == 403
    assert answer.json == {
        "code": 403,
        "status": "Forbidden",
        "message": "This request needs the 'read' scope; this key has: events.",
    }
    assert client.post("/api/v1/units", json={}, headers=bearer(reader)).status_code == 403
    assert "'admin'" in client.post("/api/v1/units", headers=bearer(reader)).json["message"]
    assert client.post("/api/v1/events", json={}, headers=bearer(reader)).status_code == 403
    assert client.post("/api/v1/events", json={}, headers=bearer(events_only)).status_code == 200


def test_admin_implies_every_scope_and_routes_reach_the_right_service(
    gateway: Flask, admin_key: str
) -> None:
    client = gateway.test_client()
    expected = [
        ("POST", "/api/v1/events", "points"),
        ("GET", "/api/v1/units/north", "points"),
        ("PATCH", "/api/v1/members/S0001", "points"),
        ("GET", "/api/v1/members/S0001/ledger", "points"),
        ("GET", "/api/v1/members/S0001/standing", "leaderboard"),
        ("GET", "/api/v1/leaderboard", "leaderboard"),
        ("POST", "/api/v1/leaderboard/rebuild", "leaderboard"),
        ("GET", "/api/v1/rulesets/active", "rewards"),
        ("POST", "/api/v1/rulesets", "rewards"),
    ]
    for method, path, service in expected:
        answer = client.open(path, method=method, json={}, headers=bearer(admin_key))
        assert answer.status_code == 200, (method, path, answer.json)
        assert (answer.json["service"], answer.json["path"]) == (service, path)


def test_headers_are_stripped_set_and_echoed_over_real_http(gateway: Flask) -> None:
    key = new_key(gateway, "checkin-terminal", "events")
    sent = {
        **bearer(key),
        "Content-Type": "application/json",
        "X-Sender": "someone-else",
        "X-Scopes": "admin",
        "X-Custom": "kept",
        # The services explain ledger entries in the reader's language: it reaches them as sent.
        "Accept-Language": "en-GB,zh-CN;q=0.5",
        "Connection": "keep-alive, X-Hop",
        "X-Hop": "dropped because Connection names it",
        "Cookie": "session=abc",
    }
    with serving(gateway) as url:
        http = urllib3.PoolManager(retries=False)
        answer = http.request(
            "POST", url + "/api/v1/events?dry_run=1&x=%20y", body=b'{"id": "e1"}', headers=sent
        )
    seen = json.loads(answer.data)
    assert answer.status == 200
    assert seen["method"] == "POST" and seen["path"] == "/api/v1/events"
    assert seen["query"] == "dry_run=1&x=%20y"
    assert seen["body"] == '{"id": "e1"}'
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    assert headers["x-sender"] == "checkin-terminal"
    assert headers["x-scopes"] == "events"
    assert headers["content-type"] == "application/json"
    assert headers["x-custom"] == "kept"
    assert headers["accept-language"] == "en-GB,zh-CN;q=0.5"
    for gone in ("authorization", "cookie", "x-hop"):
        assert gone not in headers, gone
    assert len(headers["x-request-id"]) == 32  # a new uuid4 hex
    assert answer.headers["X-Request-Id"] == headers["x-request-id"]


def test_an_uploaded_file_reaches_the_service_byte_for_byte(gateway: Flask, admin_key: str) -> None:
    """A multipart body (a roster import) with bytes that are not UTF-8, its boundary in the
    content type: both arrive as sent, over real HTTP."""
    workbook = b"PK\x03\x04" + bytes(range(256)) * 40 + "工号,姓名\n".encode("gb18030")
    body, content_type = urllib3.encode_multipart_formdata(
        {"file": ("名单.xlsx", workbook, "application/octet-stream")}
    )
    with serving(gateway) as url:
        answer = urllib3.PoolManager(retries=False).request(
            "POST",
            url + "/api/v1/roster/import?dry_run=false",
            body=body,
            headers={**bearer(admin_key), "Content-Type": content_type},
        )
    seen = json.loads(answer.data)
    assert answer.status == 200 and seen["path"] == "/api/v1/roster/import"
    assert seen["headers"]["Content-Type"] == content_type
    assert seen["body_sha256"] == hashlib.sha256(body).hexdigest()


def test_the_clients_request_id_is_passed_on_and_echoed(gateway: Flask, admin_key: str) -> None:
    client = gateway.test_client()
    headers = {**bearer(admin_key), "X-Request-Id": "terminal-7:0042"}
    answer = client.get("/api/v1/units", headers=headers)
    assert answer.headers["X-Request-Id"] == "terminal-7:0042"
    assert answer.json["headers"]["X-Request-Id"] == "terminal-7:0042"
    refused = client.get("/api/v1/units", headers={"X-Request-Id": "x" * 500})
    assert refused.status_code == 401 and len(refused.headers["X-Request-Id"]) == 32


def test_status_body_and_content_type_come_back_unchanged(gateway: Flask, admin_key: str) -> None:
    client = gateway.test_client()
    csv = client.get("/api/v1/units/export?ctype=text/csv&status=202", headers=bearer(admin_key))
    assert (csv.status_code, csv.content_type, csv.data) == (202, "text/csv", b"a,b\n1,2\n")
    teapot = client.get("/api/v1/units?status=418", headers=bearer(admin_key))
    assert teapot.status_code == 418 and teapot.json["service"] == "points"


def test_a_services_redirect_points_back_at_the_gateway(gateway: Flask, admin_key: str) -> None:
    answer = gateway.test_client().get("/api/v1/units?redirect=1", headers=bearer(admin_key))
    assert answer.status_code == 307
    assert answer.headers["Location"] == "http://localhost/api/v1/units/elsewhere"


def test_bodies_over_the_limit_get_413_json(make_gateway: GatewayFactory, echo_urls) -> None:
    app = make_gateway(echo_urls, max_body_bytes=1024)
    key = new_key(app, "checkin-terminal", "events")
    client = app.test_client()
    answer = client.post("/api/v1/events", data=b"x" * 1025, headers=bearer(key))
    assert answer.status_code == 413
    assert answer.json["code"] == 413 and "1024 bytes" in answer.json["message"]
    assert client.post("/api/v1/events", data=b"x" * 1024, headers=bearer(key)).status_code == 200

    def chunked(size: int) -> Iterator[bytes]:
        yield b"x" * (size // 2)
        yield b"y" * (size - size // 2)

    with serving(app) as url:  # sent without a length: the limit holds while reading
        http = urllib3.PoolManager(retries=False)
        over = http.request("POST", url + "/api/v1/events", body=chunked(1025), headers=bearer(key))
        full = http.request("POST", url + "/api/v1/events", body=chunked(1024), headers=bearer(key))
    assert over.status == 413 and json.loads(over.data)["code"] == 413
    assert full.status == 200 and json.loads(full.data)["body"] == "x" * 512 + "y" * 512


def test_unknown_internal_and_sneaky_paths_are_404_json(gateway: Flask, admin_key: str) -> None:
    client = gateway.test_client()
    for path in (
        "/api/v1/nothing-here",
        "/api/v1",
        "/internal/v1/outbox",
        "/api/v1/members/../../internal/v1/outbox",
        "/api/v1/members/%2e%2e/%2e%2e/internal/v1/outbox",
        "/healthz/extra",
    ):
        answer = client.get(path, headers=bearer(admin_key))
        assert answer.status_code == 404, path
        assert answer.json["code"] == 404, path


def test_a_method_a_path_does_not_take_is_405_json(gateway: Flask, admin_key: str) -> None:
    answer = gateway.test_client().get("/api/v1/leaderboard/rebuild", headers=bearer(admin_key))
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST" and answer.json["code"] == 405


def test_a_closed_port_is_503_naming_the_service(make_gateway: GatewayFactory) -> None:
    app = make_gateway()  # nothing listens on any service port
    key = new_key(app, "dashboard", "read")
    answer = app.test_client().get("/api/v1/rulesets", headers=bearer(key))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"]
    assert answer.json["message"] == "The rewards service is unavailable; retry shortly."


def test_a_slow_service_is_504(make_gateway: GatewayFactory, echo_urls) -> None:
    app = make_gateway(echo_urls, upstream_timeout=0.2)
    key = new_key(app, "dashboard", "read")
    answer = app.test_client().get("/api/v1/leaderboard?sleep=1", headers=bearer(key))
    assert answer.status_code == 504
    assert answer.json["code"] == 504 and "leaderboard" in answer.json["message"]


@contextmanager
def garbage_server() -> Iterator[str]:
    """A real TCP server that answers every connection with something that is not HTTP."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-not-http\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def test_a_garbage_answer_is_502(make_gateway: GatewayFactory, dead_urls) -> None:
    with garbage_server() as url:
        app = make_gateway({**dead_urls, "points": url})
        key = new_key(app, "dashboard", "read")
        answer = app.test_client().get("/api/v1/members", headers=bearer(key))
    assert answer.status_code == 502
    assert answer.json["message"] == "The points service sent a broken answer."


MEMBER_DOC = {
    "openapi": "3.0.3",
    "info": {"title": "points", "version": "v1"},
    "paths": {
        "/api/v1/members/{staff_no}": {"get": {"responses": {}}, "patch": {"responses": {}}},
        "/api/v1/units": {"get": {"responses": {}}, "post": {"responses": {}}},
    },
}


def test_options_lists_exactly_the_documented_methods(
    make_gateway: GatewayFactory, dead_urls: dict[str, str]
) -> None:
    with serving(echo_app("points", MEMBER_DOC)) as points:
        client = make_gateway({**dead_urls, "points": points}).test_client()
        allowed = {
            "/api/v1/members/S0001": "GET, HEAD, PATCH",
            "/api/v1/units": "GET, HEAD, POST",
            "/api/v1/health": "GET, HEAD",
            # The rewards service is down, so its paths are not in the document: the routing
            # table says what the path takes.
            "/api/v1/rulesets/7": "DELETE, GET, HEAD, PATCH, POST, PUT",
        }
        for path, allow in allowed.items():
            answer = client.options(path)  # no key: the document needs none either
            assert (answer.status_code, answer.headers.get("Allow")) == (200, allow), path
        assert client.options("/api/v1/nothing").status_code == 404


def test_a_method_no_route_takes_is_405_listing_the_documented_ones(
    make_gateway: GatewayFactory, dead_urls: dict[str, str]
) -> None:
    with serving(echo_app("points", MEMBER_DOC)) as points:
        app = make_gateway({**dead_urls, "points": points})
        key = new_key(app, "dashboard", "admin")
        client = app.test_client()
        trace = client.open("/api/v1/members/S0001", method="TRACE", headers=bearer(key))
        put = client.put("/api/v1/health", headers=bearer(key))
        unknown = client.open("/api/v1/nothing", method="TRACE", headers=bearer(key))
        outside = client.post("/healthz")
    assert (trace.status_code, trace.headers["Allow"]) == (405, "GET, HEAD, PATCH")
    assert trace.json["code"] == 405
    assert (put.status_code, put.headers["Allow"]) == (405, "GET, HEAD")
    assert unknown.status_code == 404 and unknown.json["code"] == 404
    assert outside.status_code == 405 and outside.json["code"] == 405
    assert set(outside.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
