"""The platform over https through nginx running deploy/nginx/platform.conf: the board read and
an event posted over TLS, HSTS, plain http redirected, the client's scheme reaching the gateway
(TRUSTED_PROXIES=1: the Secure cookie), a body past MAX_BODY_BYTES refused by nginx in the
platform's error shape, and a dead gateway answered in that shape too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import urllib3

from tests.harness import Platform, nginx, quiz

pytestmark = pytest.mark.deploy

BOARD = "/api/v1/leaderboard?scope=org&period=all&limit=10"
MAX_BODY_BYTES = 2 * 1024 * 1024  # the default, as the README's table gives it


def https(front: nginx.Nginx) -> urllib3.PoolManager:
    """A client that trusts the test's certificate only (and so checks it)."""
    return urllib3.PoolManager(ca_certs=str(front.certificate), retries=False)


def request(
    front: nginx.Nginx, method: str, path: str, key: str = "", body: Any = None, **kw: Any
) -> urllib3.BaseHTTPResponse:
    headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    return https(front).request(
        method, front.base_url + path, body=data, headers=headers, timeout=30, **kw
    )


def signin_cookie_is_secure(answer: urllib3.BaseHTTPResponse) -> bool:
    """Whether the sign-in page's cookie (gateway/session.py) carries the Secure flag."""
    (cookie,) = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("li_signin=")]
    return "secure" in [part.strip().lower() for part in cookie.split(";")]


@pytest.fixture(scope="module")
def member(platform: Platform) -> str:
    assert platform.call("POST", "/api/v1/units", {"code": "tls", "name": "TLS"}).status == 201
    body = {"staff_no": "T001", "name": "Over TLS", "unit": "tls"}
    assert platform.call("POST", "/api/v1/members", body).status == 201
    return "T001"


def test_an_event_posted_over_https_reaches_the_board_read_over_https(
    platform: Platform, front: nginx.Nginx, member: str
) -> None:
    posted = request(front, "POST", "/api/v1/events", platform.sender_key, quiz("tls-1", member))
    assert posted.status == 201, posted.data
    assert sum(e["points"] for e in posted.json()["entries"]) == 6  # score 95 >= 90: 6 points
    assert platform.wait_boards_equal_ledger() == {member: 6}
    board = request(front, "GET", BOARD, platform.reader_key)
    assert board.status == 200, board.data
    assert [(row["member"], row["points"]) for row in board.json()["items"]] == [(member, 6)]
    assert board.headers["Strict-Transport-Security"] == "max-age=63072000"
    again = request(front, "POST", "/api/v1/events", platform.sender_key, quiz("tls-1", member))
    assert again.status == 200 and again.json()["duplicate"] is True


def test_plain_http_is_redirected_to_https_and_serves_nothing(
    platform: Platform, front: nginx.Nginx
) -> None:
    plain = urllib3.PoolManager(retries=False)
    answer = plain.request(
        "GET", f"http://127.0.0.1:{front.http_port}/api/v1/leaderboard?x=1",
        headers={"Authorization": f"Bearer {platform.reader_key}"}, redirect=False,
    )  # fmt: skip
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/api/v1/leaderboard?x=1"


def test_the_gateway_sees_https_from_the_proxy_and_marks_its_cookie_secure(
    platform: Platform, front: nginx.Nginx
) -> None:
    page = request(front, "GET", "/signin")
    assert page.status == 200 and signin_cookie_is_secure(page)
    # The same page straight from the gateway, over plain http: no Secure flag. (With
    # TRUSTED_PROXIES set, only the proxy may reach the gateway: docs/deployment.md.)
    direct = platform.http.request("GET", platform.base_url + "/signin", retries=False)
    assert direct.status == 200 and not signin_cookie_is_secure(direct)


def test_a_forwarded_address_the_client_sends_is_replaced_by_nginx(
    platform: Platform, front: nginx.Nginx
) -> None:
    spoofed = {"X-Forwarded-For": "198.51.100.1"}
    made = request(
        front, "POST", "/api/v1/auth/keys", platform.admin_key,
        {"name": "tls-kiosk", "scopes": ["read"]}, headers=spoofed,
    )  # fmt: skip
    assert made.status == 201, made.data
    audit = request(front, "GET", "/api/v1/auth/audit", platform.admin_key).json()["items"]
    # The address nginx saw (the test's, on loopback), never the one the client wrote.
    assert [r["address"] for r in audit if r["subject"] == "tls-kiosk"] == ["127.0.0.1"]


def test_a_body_past_max_body_bytes_is_refused_by_nginx_in_the_error_shape(
    platform: Platform, front: nginx.Nginx
) -> None:
    too_big = request(
        front, "POST", "/api/v1/events", platform.sender_key, b"x" * (MAX_BODY_BYTES + 1)
    )
    assert too_big.status == 413
    assert too_big.headers["Content-Type"].startswith("application/json")
    body = too_big.json()
    assert body["code"] == 413 and body["status"] == "Request Entity Too Large"
    assert body["message"].startswith("请求内容超过平台允许的大小")
    # A body of exactly the limit passes nginx and is the gateway's to judge (bad JSON: 4xx).
    at_limit = request(front, "POST", "/api/v1/events", platform.sender_key, b"x" * MAX_BODY_BYTES)
    assert at_limit.status in (400, 422), at_limit.data
    assert at_limit.json()["code"] == at_limit.status


def test_a_gateway_that_does_not_answer_is_a_503_in_the_error_shape(tmp_path: Path) -> None:
    if not nginx.installed():
        pytest.skip("nginx is not installed: make nginx")
    from deploy.local import free_port

    with nginx.running(tmp_path, [free_port()]) as dead:  # nothing listens there
        answer = request(dead, "GET", BOARD)
        assert answer.status == 503
        assert answer.json()["code"] == 503 and answer.json()["message"].startswith("平台暂时")
