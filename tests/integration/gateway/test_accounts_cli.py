"""``flask --app gateway accounts create-admin``: the first admin, as the README tells it."""

from __future__ import annotations

from flask import Flask
from redis import Redis

from tests.integration.gateway.conftest import GatewayFactory
from tests.integration.gateway.people import PASSWORD, bearer, create_admin, sign_in


def test_create_admin_prints_a_one_time_password_that_must_be_changed(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    app: Flask = make_gateway(echo_urls)
    client = app.test_client()
    first = create_admin(app, "A001")
    body = sign_in(client, "A001", first)
    assert body["must_change_password"] is True
    again = create_admin(app, "A001")  # run again: a new one-time password, still one admin
    assert again != first
    assert (
        client.post(
            "/api/v1/auth/sign-in", json={"staff_no": "A001", "password": first}
        ).status_code
        == 401
    )
    token = sign_in(client, "A001", again)["access_token"]
    assert client.get("/api/v1/leaderboard", headers=bearer(token)).status_code == 403


def test_create_admin_can_ask_for_the_password(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    app: Flask = make_gateway(echo_urls)
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    args = ["accounts", "create-admin", "--staff-no", "A002", "--password"]
    result = app.test_cli_runner().invoke(args=args, input=typed)
    assert result.exit_code == 0, result.output
    assert sign_in(app.test_client(), "A002")["must_change_password"] is True
    short = app.test_cli_runner().invoke(
        args=["accounts", "create-admin", "--staff-no", "A003", "--password"], input="x\nx\n"
    )
    assert short.exit_code != 0 and "characters" in short.output
