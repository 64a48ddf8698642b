"""The gateway behind proxies (TRUSTED_PROXIES, gateway/__init__.py): the client's address and
scheme are the ones the trusted hops wrote into X-Forwarded-For/-Proto, for the rate limits, the
audit log and the Secure cookie; with no trusted proxy, and beyond the trusted hops, a client's
own forwarded headers are never believed. Real database, real Redis, echo upstreams."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.settings import Settings
from tests.integration.gateway.conftest import GatewayFactory, bearer
from tests.integration.gateway.people import PASSWORD, admin_token

BOARD = "/api/v1/leaderboard"
PROXY = {"REMOTE_ADDR": "10.0.0.5"}  # nginx, as the gateway's connection sees it


def gateway(make_gateway: GatewayFactory, urls: dict[str, str], proxies: int) -> Flask:
    return make_gateway(urls, trusted_proxies=proxies, rate_limit_anonymous="2/minute")


def cookie_is_secure(answer: Any) -> bool:
    (header,) = [h for h in answer.headers.getlist("Set-Cookie") if h.startswith("li_session=")]
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return bool(jar["li_session"]["secure"])


def anonymous_reads(client: FlaskClient, forwarded_for: str, times: int) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for}
    return [
        client.get(BOARD, headers=headers, environ_base=PROXY).status_code for _ in range(times)
    ]


def test_behind_one_proxy_each_client_address_has_its_own_count(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    client = gateway(make_gateway, echo_urls, 1).test_client()
    assert anonymous_reads(client, "203.0.113.7", 3) == [401, 401, 429]
    # Another client through the same proxy: its own count, not the proxy's.
    assert anonymous_reads(client, "203.0.113.8", 2) == [401, 401]
    # A client that writes its own X-Forwarded-For: the proxy appends the real address, and
    # only the hop the proxy wrote (the rightmost) is believed.
    assert anonymous_reads(client, "198.51.100.1, 203.0.113.7", 1) == [429]


def test_with_no_trusted_proxy_a_forwarded_address_is_not_believed(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    client = gateway(make_gateway, echo_urls, 0).test_client()
    assert anonymous_reads(client, "203.0.113.7", 2) == [401, 401]
    # A new address in the header changes nothing: the connection's address is counted.
    assert anonymous_reads(client, "203.0.113.8", 1) == [429]


@pytest.mark.parametrize(
    ("proxies", "headers", "secure"),
    [
        (1, {"X-Forwarded-Proto": "https"}, True),  # TLS ended at the proxy
        (1, {"X-Forwarded-Proto": "http"}, False),
        (0, {"X-Forwarded-Proto": "https"}, False),  # nobody's header is believed
        # Two hops: the outer proxy writes what the client used, the inner one appends what it
        # saw from the outer (plain http on the inside network): the outer's is believed.
        (2, {"X-Forwarded-Proto": "https, http"}, True),
        (2, {"X-Forwarded-Proto": "http, https"}, False),
    ],
)
def test_the_secure_cookie_follows_the_scheme_the_trusted_proxy_saw(
    make_gateway: GatewayFactory,
    echo_urls: dict[str, str],
    redis: Redis,
    proxies: int,
    headers: dict[str, str],
    secure: bool,
) -> None:
    app = make_gateway(echo_urls, trusted_proxies=proxies)
    client = app.test_client(use_cookies=False)
    admin_token(app, client)
    answer = client.post(
        "/api/v1/auth/session", json={"staff_no": "A001", "password": PASSWORD},
        headers=headers, environ_base=PROXY,
    )  # fmt: skip
    assert answer.status_code == 200, answer.json
    assert cookie_is_secure(answer) is secure


def audited_addresses(client: FlaskClient, admin: dict[str, str], subject: str) -> list[Any]:
    answer = client.get("/api/v1/auth/audit", headers=admin)
    return [r["address"] for r in answer.json["items"] if r["subject"] == subject]


def test_the_audit_log_records_the_client_behind_the_proxy(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    app = make_gateway(echo_urls, trusted_proxies=1)
    client = app.test_client()
    admin = bearer(admin_token(app, client))
    through = {"X-Forwarded-For": "203.0.113.9", **admin}
    made = client.post(
        "/api/v1/auth/keys", json={"name": "kiosk", "scopes": ["read"]}, headers=through,
        environ_base=PROXY,
    )  # fmt: skip
    assert made.status_code == 201, made.json
    assert audited_addresses(client, admin, "kiosk") == ["203.0.113.9"]


def test_the_setting_is_a_count_of_zero_or_more() -> None:
    assert Settings.from_env({}).trusted_proxies == 0
    assert Settings.from_env({"TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    for bad in ("-1", "one"):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
            Settings.from_env({"TRUSTED_PROXIES": bad})
