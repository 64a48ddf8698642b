"""Request rate limits at the gateway (gateway/rate_limits.py), counted in a real Redis: who
is counted, per class of request, the 429 a breach gets, what is never limited, and a Redis
that cannot be reached."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from werkzeug.test import TestResponse

from gateway import rate_window
from tests.integration.gateway.conftest import GatewayFactory, bearer, new_key
from tests.integration.gateway.people import PASSWORD, admin_token
from tests.support import free_port

BOARD = "/api/v1/leaderboard"
LOW = {
    "rate_limit_read": "3/minute",
    "rate_limit_write": "2/minute",
    "rate_limit_events": "2/minute",
    "rate_limit_anonymous": "2/minute",
}
MESSAGE = re.compile(r"Too many requests for this (key|sign-in|address): at most (\d+) per (\w+)")


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str]) -> Flask:
    return make_gateway(echo_urls, **LOW)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def statuses(client: FlaskClient, times: int, path: str = BOARD, **kwargs: Any) -> list[int]:
    return [client.open(path, **kwargs).status_code for _ in range(times)]


def assert_limited(answer: TestResponse, who: str, most: int) -> None:
    """The platform's error shape with 429, the limit in words, and when to come back."""
    assert answer.status_code == 429, answer.get_json()
    body = answer.get_json()
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert MESSAGE.match(body["message"]).groups() == (who, str(most), "minute"), body
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= 60 and f"try again in {wait} s." in body["message"]
    assert answer.headers["X-RateLimit-Limit"] == str(most)
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    assert answer.headers["X-Request-Id"]


def test_a_key_is_stopped_after_its_limit_with_a_429_that_says_when(
    app: Flask, client: FlaskClient
) -> None:
    headers = bearer(new_key(app, "reader", "read"))
    seen = [client.get(BOARD, headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in seen] == [200, 200, 200]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in seen] == ["2", "1", "0"]
    assert all(answer.headers["X-RateLimit-Limit"] == "3" for answer in seen)
    assert_limited(client.get(BOARD, headers=headers), "key", 3)
    assert_limited(client.get(f"{BOARD}/teams", headers=headers), "key", 3)  # every read


def test_callers_and_classes_are_counted_apart(app: Flask, client: FlaskClient) -> None:
    admin, other = bearer(new_key(app, "admin", "admin")), bearer(new_key(app, "other", "read"))
    assert statuses(client, 4, headers=admin) == [200, 200, 200, 429]
    assert statuses(client, 3, headers=other) == [200, 200, 200]  # another key: its own count
    # Writes and events have counts (and limits) of their own; a batch is one request.
    write = {"method": "POST", "json": {"code": "u1", "name": "Unit"}, "headers": admin}
    assert statuses(client, 3, "/api/v1/units", **write) == [200, 200, 429]
    batch = {"method": "POST", "json": {"events": [{"id": "e1"}, {"id": "e2"}]}, "headers": admin}
    assert statuses(client, 2, "/api/v1/events", **batch) == [200, 200]
    assert_limited(client.post("/api/v1/events", json={"id": "e3"}, headers=admin), "key", 2)


def test_a_person_is_counted_by_their_sign_in(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    app = make_gateway(echo_urls, rate_limit_read="3/minute")  # signing in is not limited here
    client = app.test_client()
    headers = bearer(admin_token(app, client))
    assert statuses(client, 3, headers=headers) == [200, 200, 200]
    assert_limited(client.get(BOARD, headers=headers), "sign-in", 3)


def test_a_browser_session_is_counted_by_its_sign_in_not_its_office_address(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    """People at the pages send a cookie, not a header, and an office's staff share one
    address: each session has a count of its own, as a bearer sign-in does."""
    app = make_gateway(echo_urls, rate_limit_read="3/minute", rate_limit_anonymous="10/minute")
    client = app.test_client()
    admin_token(app, client)
    signed = client.post("/api/v1/auth/session", json={"staff_no": "A001", "password": PASSWORD})
    assert signed.status_code == 200, signed.json
    (token,) = [
        header.split(";")[0].removeprefix("li_session=")
        for header in signed.headers.getlist("Set-Cookie")
        if header.startswith("li_session=")
    ]
    office = {"REMOTE_ADDR": "10.0.0.9"}
    stranger = app.test_client(use_cookies=False)  # each request names the cookie it sends
    session = {"Cookie": f"li_session={token}"}
    first = stranger.get(BOARD, headers=session, environ_base=office)
    assert first.status_code == 200, (first.json, signed.headers.getlist("Set-Cookie"))
    assert statuses(stranger, 2, headers=session, environ_base=office) == [200, 200]
    assert_limited(stranger.get(BOARD, headers=session, environ_base=office), "sign-in", 3)
    assert statuses(stranger, 2, environ_base=office) == [401, 401]  # the address's own count


def test_requests_without_a_credential_are_counted_by_address(
    app: Flask, client: FlaskClient
) -> None:
    here, there = {"REMOTE_ADDR": "10.0.0.1"}, {"REMOTE_ADDR": "10.0.0.2"}
    assert statuses(client, 2, environ_base=here) == [401, 401]  # refused, and counted
    assert_limited(client.get(BOARD, environ_base=here), "address", 2)
    garbled = {"Authorization": "Basic abc"}  # no usable credential: counted the same way
    assert_limited(client.get(BOARD, headers=garbled, environ_base=here), "address", 2)
    assert statuses(client, 1, environ_base=there) == [401]
    key = bearer(new_key(app, "reader", "read"))  # a key from the same address: its own count
    assert statuses(client, 1, headers=key, environ_base=here) == [200]


def test_signing_in_is_counted_by_address_whatever_header_it_carries(
    client: FlaskClient,
) -> None:
    """A made-up token on a sign-in must not buy a fresh count for each request."""
    for n in range(3):
        answer = client.post(
            "/api/v1/auth/sign-in",
            json={"staff_no": "NOBODY", "password": "wrong password"},
            headers=bearer(f"lt_{n:012x}_made-up-token-made-up-token-made-up-tok"),
        )
        assert answer.status_code == (401 if n < 2 else 429), answer.get_json()
    assert_limited(answer, "address", 2)


@pytest.mark.parametrize(
    "path", ["/healthz", "/readyz", "/api/v1/health", "/api/openapi.json", "/api/docs"]
)
def test_public_paths_are_never_limited(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], path: str
) -> None:
    client = make_gateway(echo_urls, rate_limit_anonymous="1/minute").test_client()
    for _ in range(4):
        answer = client.get(path)
        assert answer.status_code in (200, 503), (path, answer.get_json())
        assert "X-RateLimit-Limit" not in answer.headers
    assert client.get(BOARD).status_code == 401 and client.get(BOARD).status_code == 429


def test_an_unreachable_redis_still_answers_and_still_limits_in_memory(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    app = make_gateway(echo_urls, redis_url=f"redis://127.0.0.1:{free_port()}/0", **LOW)
    client = app.test_client()
    headers = bearer(new_key(app, "reader", "read"))
    assert statuses(client, 4, headers=headers) == [200, 200, 200, 429]
    assert_limited(client.get(BOARD, headers=headers), "key", 3)
    assert statuses(client, 3, environ_base={"REMOTE_ADDR": "10.0.0.9"}) == [401, 401, 429]


def test_limits_can_be_switched_off(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    app = make_gateway(echo_urls, rate_limit_enabled=False, **LOW)
    client = app.test_client()
    headers = bearer(new_key(app, "reader", "read"))
    answers = [client.get(BOARD, headers=headers) for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 5
    assert "X-RateLimit-Limit" not in answers[-1].headers


def test_every_worker_shares_the_counts_in_redis(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    one, two = make_gateway(echo_urls, **LOW), make_gateway(echo_urls, **LOW)
    headers = bearer(new_key(one, "reader", "read"))
    assert statuses(one.test_client(), 2, headers=headers) == [200, 200]
    assert statuses(two.test_client(), 2, headers=headers) == [200, 429]
    (stored,) = redis.keys("LIMITS:LIMITER/gateway-requests/key:*")
    assert stored.decode().endswith("/read/3/1/minute") and int(redis.get(stored)) == 4


def test_other_answers_keep_their_own_retry_after(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    """A service that cannot be reached says when to retry; the request window must not
    stretch that to the end of the minute (nor add a Retry-After to a success)."""
    app = make_gateway({**echo_urls, "points": f"http://127.0.0.1:{free_port()}"}, **LOW)
    client = app.test_client()
    headers = bearer(new_key(app, "reader", "read"))
    assert "Retry-After" not in client.get(BOARD, headers=headers).headers
    dead = client.get("/api/v1/units", headers=headers)
    assert dead.status_code == 503 and dead.headers["Retry-After"] == "2"  # the hop's own
    assert dead.headers["X-RateLimit-Limit"] == "3"


def test_a_request_is_counted_and_its_window_read_in_one_round_trip(
    app: Flask, client: FlaskClient, redis: Redis
) -> None:
    """The count and the window's time to live go out together (gateway/rate_window.py): the
    headers read neither again."""
    headers = bearer(new_key(app, "reader", "read"))
    client.get(BOARD, headers=headers)  # the first request loads the script
    redis.config_resetstat()
    seen = [client.get(BOARD, headers=headers) for _ in range(2)]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in seen] == ["1", "0"]
    stats = redis.info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] == 2 and stats["cmdstat_ttl"]["calls"] == 2
    assert "cmdstat_get" not in stats and "cmdstat_script|exists" not in stats


def test_a_redis_that_forgot_the_script_still_counts(
    app: Flask, client: FlaskClient, redis: Redis
) -> None:
    headers = bearer(new_key(app, "reader", "read"))
    assert statuses(client, 2, headers=headers) == [200, 200]
    redis.script_flush()  # as after a restart of Redis: the counts' hashes are unknown to it
    answer = client.get(BOARD, headers=headers)
    assert answer.status_code == 200 and answer.headers["X-RateLimit-Remaining"] == "0"
    (stored,) = redis.keys("LIMITS:LIMITER/gateway-requests/key:*")
    assert int(redis.get(stored)) == 3  # counted in Redis, not in the memory fallback
    assert_limited(client.get(BOARD, headers=headers), "key", 3)


def test_far_from_its_limit_a_caller_is_counted_in_the_worker_and_sent_in_batches(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    """Below half its limit a caller's requests are counted in the worker's memory and go to
    Redis together, at most SEND_EVERY apart (gateway/rate_window.py); the headers count on."""
    app = make_gateway(echo_urls, rate_limit_read="100/minute")
    client = app.test_client()
    headers = bearer(new_key(app, "reader", "read"))
    client.get(BOARD, headers=headers)  # the first request loads the script
    redis.config_resetstat()
    started = time.monotonic()
    seen = [client.get(BOARD, headers=headers) for _ in range(40)]
    elapsed = time.monotonic() - started
    remaining = [int(answer.headers["X-RateLimit-Remaining"]) for answer in seen]
    assert remaining == list(range(98, 58, -1))
    trips = redis.info("commandstats").get("cmdstat_evalsha", {"calls": 0})["calls"]
    assert trips <= 1 + elapsed / rate_window.SEND_EVERY, (trips, elapsed)
    time.sleep(rate_window.SEND_EVERY)
    client.get(BOARD, headers=headers)  # stale now: it goes to Redis with what waited
    (stored,) = redis.keys("LIMITS:LIMITER/gateway-requests/key:*")
    assert int(redis.get(stored)) == 42


def test_near_its_limit_every_request_goes_to_redis_so_two_workers_stop_a_caller_together(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    """What another worker counted in its memory is the only way past a limit: at most half
    of it, and only until that worker next hears from Redis."""
    one = make_gateway(echo_urls, rate_limit_read="20/minute")
    two = make_gateway(echo_urls, rate_limit_read="20/minute")
    headers = bearer(new_key(one, "reader", "read"))
    first, second = one.test_client(), two.test_client()
    assert statuses(first, 1, headers=headers) == [200]
    assert statuses(second, 10, headers=headers) == [200] * 10  # nine of them not yet sent
    admitted = 11
    while first.get(BOARD, headers=headers).status_code == 200:
        admitted += 1
        assert admitted <= 40, "the first worker never stopped the caller"
    assert 20 <= admitted <= 20 + 20 // 2, admitted
    time.sleep(rate_window.SEND_EVERY)
    assert statuses(second, 1, headers=headers) == [429]  # it heard from Redis again
    assert statuses(first, 1, headers=headers) == [429]


@pytest.mark.parametrize("path", ["/reset", "/signin"])
def test_the_reset_and_sign_in_pages_are_counted_by_address(client: FlaskClient, path: str) -> None:
    """Guessing one-time codes or passwords on the pages is throttled like the API's sign-in:
    by address, whatever the form holds."""
    form = {"code": "guess", "new_password": "x" * 12, "repeat_password": "x" * 12}
    answers = [client.post(path, data=form) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] != [429, 429]
    assert answers[2].status_code == 429
    assert int(answers[2].headers["Retry-After"]) >= 1
