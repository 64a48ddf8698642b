"""Revoking and rotating an API key across the gateway's two gunicorn workers (the e2e
platform runs ``WEB_WORKERS=2``). Each worker caches a verified key for ``KEY_CACHE_SECONDS``
(gateway/auth.py): the worker that revokes or rotates refuses the old secret at once, every
other worker within that bound, and none accepts it after.

Which worker answered is read from each worker's own metrics file (tests.harness.metrics
``by_worker``), so the tests show, rather than hope, that both workers took the key before the
change and both refused it after: each run of ``ROUNDS`` requests opens a new connection per
request (sync workers close every one), and the test fails, saying so, if one worker answered
none of them (with two workers accepting at random, a chance of 2 in 2**50)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from gateway.auth import KEY_CACHE_SECONDS
from tests.harness import Platform, quiz
from tests.harness.metrics import by_worker

pytestmark = pytest.mark.e2e

ROUNDS = 50
# A cache entry loaded before the change committed lives KEY_CACHE_SECONDS at most, so no
# request sent later than that after the change's answer is accepted; the tests watch a
# second longer, and then send another ROUNDS.
BOUND = KEY_CACHE_SECONDS + 1.0
EVERY = 0.02  # seconds between requests while the bound runs: about 300 requests in it
REQUESTS_TOTAL = "http_requests_total"
READ = {"app": "gateway", "route": "/api/v1/leaderboard", "method": "GET"}
POST = {"app": "gateway", "route": "/api/v1/events", "method": "POST"}


@pytest.fixture(scope="module")
def member(platform: Platform, admin_key: str) -> str:
    unit = {"code": "kr-unit", "name": "Keys"}
    assert platform.call("POST", "/api/v1/units", unit, key=admin_key).status == 201
    body = {"staff_no": "KR-1", "name": "Keys member", "unit": "kr-unit"}
    assert platform.call("POST", "/api/v1/members", body, key=admin_key).status == 201
    return "KR-1"


def new_key(platform: Platform, admin_key: str, name: str, scope: str) -> str:
    made = platform.call("POST", "/api/v1/auth/keys", {"name": name, "scopes": [scope]}, admin_key)
    assert made.status == 201, made.body
    return str(made.body["key"])


def answered(platform: Platform, labels: dict[str, str], status: int) -> dict[str, float]:
    """Requests of ``labels`` each gateway worker answered with ``status``, so far."""
    return by_worker(platform, "gateway", REQUESTS_TOTAL, status=str(status), **labels)


def moved(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {pid: count - before.get(pid, 0) for pid, count in after.items()}


def on_every_worker(
    platform: Platform, labels: dict[str, str], status: int, send: Callable[[], int]
) -> None:
    """Rounds of ``ROUNDS`` requests, each answered ``status``, until both workers have
    answered some (the kernel may hand one worker a whole round now and then: up to ten)."""
    before = answered(platform, labels, status)
    for _ in range(10):
        statuses = [send() for _ in range(ROUNDS)]
        assert statuses == [status] * ROUNDS, statuses
        by_pid = moved(before, answered(platform, labels, status))
        if len(by_pid) == 2 and all(by_pid.values()):
            return
    raise AssertionError(f"not both workers answered: {by_pid}")


def who_changed(platform: Platform, change: Callable[[], Any], method: str, status: int) -> str:
    """Make the change (one request) and return the worker that answered it."""
    labels = {"app": "gateway", "method": method}
    before = answered(platform, labels, status)
    change()
    (pid,) = [p for p, n in moved(before, answered(platform, labels, status)).items() if n]
    return pid


def accepted_after(
    platform: Platform, labels: dict[str, str], send: Callable[[], int], changer: str
) -> float:
    """Send until ``BOUND`` has passed; the seconds from the start to the last request that
    was still accepted (0 for none). The worker that made the change accepts none."""
    start = time.monotonic()
    before = answered(platform, labels, 401)
    accepted_before = answered(platform, labels, 200)
    last = 0.0
    while (sent := time.monotonic()) - start < BOUND:
        status = send()
        assert status in (200, 401), status
        if status == 200:
            last = sent - start
        time.sleep(EVERY)
    by_changer = moved(accepted_before, answered(platform, labels, 200)).get(changer, 0)
    assert by_changer == 0, f"the worker that made the change accepted it {by_changer} times"
    assert sum(moved(before, answered(platform, labels, 401)).values()) > 0
    return last


def test_a_revoked_key_is_refused_by_every_worker_within_the_cache_time(
    platform: Platform, admin_key: str
) -> None:
    old = new_key(platform, admin_key, "kr-revoked", "read")

    def read() -> int:
        return platform.call("GET", "/api/v1/leaderboard", key=old).status

    on_every_worker(platform, READ, 200, read)  # both workers now hold the key in their cache

    def revoke() -> None:
        assert platform.call("DELETE", "/api/v1/auth/keys/kr-revoked", key=admin_key).status == 204

    revoker = who_changed(platform, revoke, "DELETE", 204)
    assert accepted_after(platform, READ, read, revoker) <= KEY_CACHE_SECONDS
    on_every_worker(platform, READ, 401, read)


def test_a_rotated_out_secret_is_refused_everywhere_and_the_new_one_replays(
    platform: Platform, admin_key: str, member: str
) -> None:
    old = new_key(platform, admin_key, "kr-rotated", "events")
    event = quiz("kr-1", member)
    events_before = platform.event_count()
    assert platform.call("POST", "/api/v1/events", event, key=old).status == 201

    def replay(key: str) -> Callable[[], int]:
        def send() -> int:
            status = platform.call("POST", "/api/v1/events", event, key=key).status
            if status == 502:  # a pooled connection the service had just closed: retry, once
                status = platform.call("POST", "/api/v1/events", event, key=key).status
            return status

        return send

    on_every_worker(platform, POST, 200, replay(old))  # both workers now cache the old secret
    rotated: dict[str, str] = {}

    def rotate() -> None:
        reply = platform.call("POST", "/api/v1/auth/keys/kr-rotated/rotate", {}, admin_key)
        assert reply.status == 200, reply.body
        rotated["key"] = reply.body["key"]

    rotator = who_changed(platform, rotate, "POST", 200)
    new = rotated["key"]
    reply = platform.call("POST", "/api/v1/events", event, key=new)  # at once, any worker
    assert reply.status == 200 and reply.body["duplicate"] is True, reply.body
    assert accepted_after(platform, POST, replay(old), rotator) <= KEY_CACHE_SECONDS
    on_every_worker(platform, POST, 401, replay(old))
    on_every_worker(platform, POST, 200, replay(new))  # the same sender: still a replay
    reply = platform.call("POST", "/api/v1/events", quiz("kr-2", member), key=new)
    assert reply.status == 201, reply.body
    assert platform.event_count() == events_before + 2
