"""People sign in at the gateway: passwords, tokens, throttling, resets, and the audit log,
on a real database and a real Redis."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from tests.harness.waiting import wait_until
from tests.integration.gateway.conftest import GatewayFactory
from tests.integration.gateway.people import (
    PASSWORD,
    admin_token,
    bearer,
    create_admin,
    member,
    settle,
    sign_in,
)

BOARD = "/api/v1/leaderboard"
# Long enough that three failed sign-ins (each an argon2 check) fit in it on a loaded machine.
WINDOW = 6


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis) -> Flask:
    return make_gateway(
        echo_urls,
        signin_account_failures=3,
        signin_address_failures=50,
        signin_window_seconds=WINDOW,
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def attempt(client: FlaskClient, staff_no: str, password: str, **environ: Any) -> Any:
    body = {"staff_no": staff_no, "password": password}
    return client.post("/api/v1/auth/sign-in", json=body, environ_base=environ)


def audit(client: FlaskClient, admin: str, subject: str) -> list[tuple[str, str]]:
    answer = client.get(f"/api/v1/auth/audit?subject={subject}", headers=bearer(admin))
    assert answer.status_code == 200, answer.json
    return [(row["action"], row["outcome"]) for row in reversed(answer.json["items"])]


def test_sign_in_gives_tokens_that_open_the_api_and_a_wrong_password_is_401(
    app: Flask, client: FlaskClient
) -> None:
    token = admin_token(app, client)
    answer = client.get(BOARD, headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json["headers"]["X-Sender"] == "member:A001"
    assert answer.json["headers"]["X-Scopes"] == "admin"
    for staff_no in ("A001", "NOBODY"):  # the same answer for an unknown staff number
        wrong = attempt(client, staff_no, "not the password")
        assert (
            wrong.status_code == 401 and wrong.json["message"] == "Wrong staff number or password."
        )


def test_a_first_password_opens_nothing_but_changing_it(app: Flask, client: FlaskClient) -> None:
    first = create_admin(app)
    body = sign_in(client, "A001", first)
    assert body["must_change_password"] is True
    refused = client.get(BOARD, headers=bearer(body["access_token"]))
    assert refused.status_code == 403 and "Change your password" in refused.json["message"]


def test_failed_sign_ins_are_throttled_per_account_then_allowed_after_the_window(
    app: Flask, client: FlaskClient
) -> None:
    first = create_admin(app)
    for _ in range(3):
        assert attempt(client, "A001", "not the password").status_code == 401
    throttled = attempt(client, "A001", first)  # even the right password, for now
    assert throttled.status_code == 429 and throttled.json["code"] == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= WINDOW
    assert attempt(client, "OTHER", "not the password").status_code == 401  # other accounts
    # Each try while throttled is audited too: try once a second, not in a tight loop.
    wait_until(
        lambda: attempt(client, "A001", first).status_code == 200, timeout=3 * WINDOW, every=1
    )
    admin = settle(client, "A001", first)
    seen = audit(client, admin, "A001")
    assert seen[1:5] == [("sign-in", "refused")] * 3 + [("sign-in", "throttled")]
    assert set(seen[5 : seen.index(("sign-in", "ok"))]) == {("sign-in", "throttled")}


def test_failed_sign_ins_are_throttled_per_address(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    client = make_gateway(echo_urls, signin_address_failures=2).test_client()
    here, there = {"REMOTE_ADDR": "10.0.0.1"}, {"REMOTE_ADDR": "10.0.0.2"}
    assert attempt(client, "X1", "not the password", **here).status_code == 401
    assert attempt(client, "X2", "not the password", **here).status_code == 401
    throttled = attempt(client, "X3", "not the password", **here)
    assert throttled.status_code == 429 and "address" in throttled.json["message"]
    assert int(throttled.headers["Retry-After"]) > 0
    assert attempt(client, "X3", "not the password", **there).status_code == 401


def test_refresh_gives_a_new_pair_once_and_a_replay_ends_the_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    create = create_admin(app)
    settle(client, "A001", create)
    pair = sign_in(client, "A001")
    renewed = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert renewed.status_code == 200
    new = renewed.json
    assert new["access_token"] != pair["access_token"]
    assert client.get(BOARD, headers=bearer(new["access_token"])).status_code == 200
    assert client.get(BOARD, headers=bearer(pair["access_token"])).status_code == 401
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert replay.status_code == 401
    # A replayed refresh token means a copy is loose: the whole sign-in ends.
    assert client.get(BOARD, headers=bearer(new["access_token"])).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert again.status_code == 401


def test_sign_out_revokes_the_tokens_at_once(app: Flask, client: FlaskClient) -> None:
    token = admin_token(app, client)
    pair = sign_in(client, "A001")
    assert (
        client.post("/api/v1/auth/sign-out", headers=bearer(pair["access_token"])).status_code
        == 204
    )
    refused = client.get(BOARD, headers=bearer(pair["access_token"]))
    assert refused.status_code == 401 and "revoked" in refused.json["message"]
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert again.status_code == 401
    assert client.get(BOARD, headers=bearer(token)).status_code == 200  # another sign-in lives
    assert client.post("/api/v1/auth/sign-out").status_code == 401


def test_an_expired_access_token_is_refused(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    app = make_gateway(echo_urls, access_token_seconds=1)
    client = app.test_client()
    token = admin_token(app, client)
    assert client.get(BOARD, headers=bearer(token)).status_code == 200
    expired = wait_until(lambda: client.get(BOARD, headers=bearer(token)).status_code == 401)
    assert expired
    answer = client.get(BOARD, headers=bearer(token))
    assert "expired" in answer.json["message"]


def test_changing_the_password_needs_the_old_one_and_ends_every_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    token = admin_token(app, client)
    change = {"old_password": "not the password", "new_password": "another long secret"}
    wrong = client.post("/api/v1/auth/password", json=change, headers=bearer(token))
    assert wrong.status_code == 403
    short = {"old_password": PASSWORD, "new_password": "short"}
    assert (
        client.post("/api/v1/auth/password", json=short, headers=bearer(token)).status_code == 422
    )
    change["old_password"] = PASSWORD
    assert (
        client.post("/api/v1/auth/password", json=change, headers=bearer(token)).status_code == 204
    )
    assert client.get(BOARD, headers=bearer(token)).status_code == 401
    assert attempt(client, "A001", PASSWORD).status_code == 401
    admin = sign_in(client, "A001", "another long secret")["access_token"]
    assert audit(client, admin, "A001")[-4:] == [
        ("password-change", "refused"),
        ("password-change", "ok"),
        ("sign-in", "refused"),
        ("sign-in", "ok"),
    ]


def test_a_reset_code_works_once(app: Flask, client: FlaskClient) -> None:
    admin = admin_token(app, client)
    member(client, admin, "S001")
    issued = client.post("/api/v1/auth/accounts/S001/reset-code", headers=bearer(admin))
    assert issued.status_code == 201
    redeem = {"code": issued.json["code"], "new_password": "a fresh long secret"}
    assert client.post("/api/v1/auth/reset", json=redeem).status_code == 204
    assert sign_in(client, "S001", "a fresh long secret")["must_change_password"] is False
    redeem["new_password"] = "yet another secret"
    second = client.post("/api/v1/auth/reset", json=redeem)
    assert second.status_code == 403 and second.json["code"] == 403
    assert attempt(client, "S001", "yet another secret").status_code == 401
    assert ("password-reset", "ok") in audit(client, admin, "S001")


def test_every_sign_in_failure_and_password_change_is_in_the_audit_log(
    app: Flask, client: FlaskClient
) -> None:
    first = create_admin(app)
    attempt(client, "A001", "not the password")
    admin = settle(client, "A001", first)
    rows = client.get("/api/v1/auth/audit?subject=A001", headers=bearer(admin)).json["items"]
    assert [(r["action"], r["outcome"]) for r in reversed(rows)] == [
        ("account-admin", "ok"),
        ("sign-in", "refused"),
        ("sign-in", "ok"),
        ("password-change", "ok"),
        ("sign-in", "ok"),
    ]
    assert rows[0]["address"] == "127.0.0.1" and rows[0]["actor"] == "member:A001"


def test_own_paths_answer_405_and_options_from_the_document(client: FlaskClient) -> None:
    answer = client.get("/api/v1/auth/sign-in")
    assert answer.status_code == 405 and answer.headers["Allow"] == "POST"
    assert client.options("/api/v1/auth/sign-in").headers["Allow"] == "POST"
    assert client.options("/api/v1/auth/accounts").headers["Allow"] == "GET, HEAD, POST"
