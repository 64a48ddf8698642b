"""A key's life at the gateway: rotated (the old secret refused at once here, within the cache
time in other processes), expired (refused on the second, even while cached), renewed by a
rotation; and its limits sent on to the services in headers no client can set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.db import utcnow
from tests.harness.waiting import wait_until
from tests.integration.gateway.conftest import GatewayFactory, bearer, new_key

KEYS = "/api/v1/auth/keys"
UNITS = "/api/v1/units"


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis) -> Flask:
    return make_gateway(echo_urls, key_cache_seconds=60)  # a cached key stays cached here


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin(app: Flask) -> dict[str, str]:
    return bearer(new_key(app, "hr-roster", "admin"))


def create(client: FlaskClient, admin: dict[str, str], **body: Any) -> dict[str, Any]:
    answer = client.post(KEYS, json={"scopes": ["events", "read"], **body}, headers=admin)
    assert answer.status_code == 201, answer.json
    made: dict[str, Any] = answer.json
    return made


def test_rotation_replaces_the_secret_at_once_and_keeps_the_rest(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    first = create(client, admin, name="terminal", event_types=["quiz"], units=["north"])
    assert client.get(UNITS, headers=bearer(first["key"])).status_code == 200  # now cached
    rotated = client.post(f"{KEYS}/terminal/rotate", headers=admin)  # no body: keep the expiry
    assert rotated.status_code == 200, rotated.json
    second = rotated.json
    assert second["key"] != first["key"] and second["prefix"] == second["key"][:11]
    kept = ("name", "scopes", "event_types", "units", "expires_at", "created_at", "status")
    assert {k: second[k] for k in kept} == {k: first[k] for k in kept}
    assert second["rotated_at"] is not None

    old = client.get(UNITS, headers=bearer(first["key"]))
    assert old.status_code == 401 and old.json["message"] == "The API key is not valid."
    seen = client.get(UNITS, headers=bearer(second["key"]))
    assert seen.status_code == 200 and seen.json["headers"]["X-Sender"] == "terminal"
    [record] = [
        r
        for r in client.get("/api/v1/auth/audit", headers=admin).json["items"]
        if r["action"] == "key-rotate"
    ]
    assert record["subject"] == "terminal" and record["detail"] == f"was {first['prefix']}"


def test_other_processes_drop_a_rotated_secret_within_the_cache_time(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], client: FlaskClient, admin
) -> None:
    elsewhere = make_gateway(echo_urls, key_cache_seconds=0.3).test_client()
    key = create(client, admin, name="terminal")["key"]
    assert elsewhere.get(UNITS, headers=bearer(key)).status_code == 200
    assert client.post(f"{KEYS}/terminal/rotate", json={}, headers=admin).status_code == 200

    def refused() -> bool:
        return elsewhere.get(UNITS, headers=bearer(key)).status_code == 401

    wait_until(refused, 2.0, 0.02, "the old secret refused in the other process")


def test_an_expired_key_is_refused_even_while_cached_and_a_rotation_renews_it(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    soon = utcnow() + timedelta(seconds=2)
    key = create(client, admin, name="campaign", expires_at=soon.isoformat())["key"]
    assert client.get(UNITS, headers=bearer(key)).status_code == 200  # cached for 60 s

    def expired() -> dict[str, Any]:
        answer = client.get(UNITS, headers=bearer(key))
        assert answer.status_code == 401, answer.status_code
        body: dict[str, Any] = answer.json
        return body

    assert expired_message(wait_until(expired, 10.0, 0.05, "the key refused as expired"))
    listed = {k["name"]: k for k in client.get(KEYS, headers=admin).json["items"]}
    assert listed["campaign"]["status"] == "expired"

    stale = client.post(f"{KEYS}/campaign/rotate", json={}, headers=admin)
    assert stale.status_code == 422 and "expires_at" in stale.json["errors"]["json"]
    past = client.post(f"{KEYS}/campaign/rotate", json={"expires_at": soon.isoformat()},
                       headers=admin)  # fmt: skip
    assert past.status_code == 422 and "in the future" in past.json["message"]
    renewed = client.post(f"{KEYS}/campaign/rotate", json={"expires_at": None}, headers=admin)
    assert renewed.status_code == 200 and renewed.json["expires_at"] is None
    assert renewed.json["status"] == "active"
    assert client.get(UNITS, headers=bearer(renewed.json["key"])).status_code == 200
    assert client.get(UNITS, headers=bearer(key)).status_code == 401


def expired_message(body: dict[str, Any]) -> bool:
    return body["message"] == "The API key has expired." and body["code"] == 401


def test_limits_reach_the_service_in_headers_and_client_copies_are_dropped(
    app: Flask, client: FlaskClient, admin: dict[str, str]
) -> None:
    forged = {"X-Key-Event-Types": "", "X-Key-Units": "", "x-key-units": "everywhere"}
    limited = create(client, admin, name="north-quiz", event_types=["quiz", "attendance"],
                     units=["north", "north-ops"])["key"]  # fmt: skip
    seen = client.get(UNITS, headers={**bearer(limited), **forged}).json["headers"]
    assert seen["X-Key-Event-Types"] == "attendance quiz"
    assert seen["X-Key-Units"] == "north north-ops"
    types_only = create(client, admin, name="quiz-only", event_types=["quiz"])["key"]
    seen = client.get(UNITS, headers={**bearer(types_only), **forged}).json["headers"]
    assert seen["X-Key-Event-Types"] == "quiz" and "X-Key-Units" not in seen
    free = new_key(app, "anything", "events", "read")
    forged = {"X-Key-Event-Types": "quiz", "X-Key-Units": "north"}
    seen = client.get(UNITS, headers={**bearer(free), **forged}).json["headers"]
    assert "X-Key-Event-Types" not in seen and "X-Key-Units" not in seen


def test_the_cli_makes_limited_expiring_keys_and_rotates_them(
    app: Flask, client: FlaskClient, admin: dict[str, str]
) -> None:
    runner = app.test_cli_runner()
    expires = (utcnow() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    made = runner.invoke(args=["keys", "create", "--name", "hr", "--scope", "events", "--scope",
                               "read", "--expires", expires, "--event-type", "quiz",
                               "--unit", "north"])  # fmt: skip
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    [row] = client.get(KEYS, headers=admin).json["items"][:1]
    assert (row["name"], row["event_types"], row["units"]) == ("hr", ["quiz"], ["north"])
    assert row["expires_at"] is not None
    listing = runner.invoke(args=["keys", "list"]).stdout
    assert "quiz units: north" in listing and "active" in listing

    rotated = runner.invoke(args=["keys", "rotate", "hr", "--never-expires"])
    assert rotated.exit_code == 0, rotated.output
    new = rotated.stdout.strip().splitlines()[-1]
    assert new != key and "shown only once" in rotated.stderr
    assert client.get(UNITS, headers=bearer(key)).status_code == 401  # this process: at once
    assert client.get(UNITS, headers=bearer(new)).status_code == 200
    bad = runner.invoke(args=["keys", "create", "--name", "x", "--scope", "events",
                              "--expires", "tomorrow"])  # fmt: skip
    assert bad.exit_code == 2 and "--expires" in bad.output
    actions = {
        (r["actor"], r["action"])
        for r in client.get("/api/v1/auth/audit", headers=admin).json["items"]
        if r["subject"] == "hr"
    }
    assert actions == {("cli", "key-create"), ("cli", "key-rotate")}
