"""API keys through the real CLI and the real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from gateway.models import ApiKey
from services.common.db import Database
from tests.harness.waiting import wait_until
from tests.integration.gateway.conftest import GatewayFactory, bearer, new_key

KEY = re.compile(r"lk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def stored(app: Flask, name: str) -> ApiKey:
    db = Database(app.config["SETTINGS"].database_url("gateway"))
    try:
        with db.read() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.name == name))
        assert row is not None
        return row
    finally:
        db.dispose()


def test_create_prints_the_key_once_as_the_last_line(gateway: Flask) -> None:
    result = gateway.test_cli_runner().invoke(
        args=[
            "keys",
            "create",
            "--name",
            "checkin-terminal",
            "--scope",
            "read",
            "--scope",
            "events",
        ]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.splitlines()[-1]
    assert KEY.fullmatch(key)
    assert "shown only once" in result.stderr
    row = stored(gateway, "checkin-terminal")
    assert row.scopes == "events read"  # canonical order, whatever order was given
    assert key.split("_")[1] == row.prefix
    assert key not in row.secret_hash and len(row.secret_hash) == 64
    assert row.created_at.tzinfo is not None and row.revoked_at is None


def test_create_refuses_unknown_scopes_duplicates_and_bad_names(gateway: Flask) -> None:
    runner = gateway.test_cli_runner()
    bad_scope = runner.invoke(args=["keys", "create", "--name", "a", "--scope", "everything"])
    assert bad_scope.exit_code != 0
    assert "'everything' is not one of 'events', 'read', 'admin'" in bad_scope.output
    no_scope = runner.invoke(args=["keys", "create", "--name", "a"])
    assert no_scope.exit_code != 0 and "--scope" in no_scope.output

    new_key(gateway, "quiz-platform", "events")
    again = runner.invoke(args=["keys", "create", "--name", "quiz-platform", "--scope", "read"])
    assert again.exit_code == 1 and "already exists" in again.output
    spaced = runner.invoke(args=["keys", "create", "--name", "bad name", "--scope", "read"])
    assert spaced.exit_code == 1 and "Invalid key name" in spaced.output


def test_list_shows_keys_without_secrets(gateway: Flask) -> None:
    runner = gateway.test_cli_runner()
    assert runner.invoke(args=["keys", "list"]).stdout.strip() == "No API keys."
    key = new_key(gateway, "hr-roster", "admin")
    new_key(gateway, "checkin-terminal", "events")
    listing = runner.invoke(args=["keys", "list"]).stdout
    lines = listing.splitlines()
    assert lines[0].split()[:3] == ["NAME", "PREFIX", "SCOPES"]
    assert [line.split()[0] for line in lines[1:]] == ["checkin-terminal", "hr-roster"]
    assert key[: len("lk_12345678")] in listing  # the public prefix
    assert key not in listing


def test_revoked_key_is_refused_at_once_in_the_revoking_process(gateway: Flask) -> None:
    key = new_key(gateway, "checkin-terminal", "read")
    client = gateway.test_client()
    assert client.get("/api/v1/units", headers=bearer(key)).status_code == 200  # now cached

    result = gateway.test_cli_runner().invoke(args=["keys", "revoke", "checkin-terminal"])
    assert result.exit_code == 0 and "Revoked" in result.stdout
    answer = client.get("/api/v1/units", headers=bearer(key))
    assert answer.status_code == 401
    assert answer.json["message"] == "The API key has been revoked."
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert stored(gateway, "checkin-terminal").revoked_at is not None

    twice = gateway.test_cli_runner().invoke(args=["keys", "revoke", "checkin-terminal"])
    assert twice.exit_code == 0 and "already revoked" in twice.stdout
    unknown = gateway.test_cli_runner().invoke(args=["keys", "revoke", "nobody"])
    assert unknown.exit_code == 1 and "No key named 'nobody'" in unknown.output


def test_other_processes_stop_accepting_a_revoked_key_within_the_cache_time(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    serving_app = make_gateway(echo_urls, key_cache_seconds=0.3)
    admin_app = make_gateway(echo_urls)  # stands for another process: its own cache
    key = new_key(admin_app, "checkin-terminal", "read")
    client = serving_app.test_client()
    assert client.get("/api/v1/units", headers=bearer(key)).status_code == 200

    admin_app.test_cli_runner().invoke(args=["keys", "revoke", "checkin-terminal"])
    assert client.get("/api/v1/units", headers=bearer(key)).status_code == 200  # cached

    def refused() -> bool:
        return client.get("/api/v1/units", headers=bearer(key)).status_code == 401

    # The cache keeps a key 0.3 s; two seconds leave room for a loaded machine.
    wait_until(refused, 2.0, 0.02, "the revoked key refused")


def test_last_use_is_recorded_at_most_once_a_minute(
    make_gateway: GatewayFactory, echo_urls: dict[str, str]
) -> None:
    app = make_gateway(echo_urls, key_cache_seconds=0)  # every request reloads the key
    key = new_key(app, "checkin-terminal", "read")
    assert stored(app, "checkin-terminal").last_used_at is None
    client = app.test_client()
    client.get("/api/v1/units", headers=bearer(key))
    first = stored(app, "checkin-terminal").last_used_at
    assert first is not None
    client.get("/api/v1/units", headers=bearer(key))
    assert stored(app, "checkin-terminal").last_used_at == first
