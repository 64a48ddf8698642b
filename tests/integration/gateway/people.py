"""Helpers for tests of people at the gateway: the first admin through the real CLI, accounts
made and passwords changed through the real API, as an admin and a member would."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: FlaskClient, staff_no: str, password: str = PASSWORD) -> dict[str, Any]:
    answer = client.post("/api/v1/auth/sign-in", json={"staff_no": staff_no, "password": password})
    assert answer.status_code == 200, answer.json
    body: dict[str, Any] = answer.json
    return body


def create_admin(app: Flask, staff_no: str = "A001") -> str:
    """The first admin, as the README says: the CLI prints a one-time password."""
    result = app.test_cli_runner().invoke(args=["accounts", "create-admin", "--staff-no", staff_no])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def settle(client: FlaskClient, staff_no: str, first: str, password: str = PASSWORD) -> str:
    """Sign in with a first password, change it as asked, sign in again: an access token."""
    token = sign_in(client, staff_no, first)["access_token"]
    change = {"old_password": first, "new_password": password}
    answer = client.post("/api/v1/auth/password", json=change, headers=bearer(token))
    assert answer.status_code == 204, answer.json
    body = sign_in(client, staff_no, password)
    assert body["must_change_password"] is False
    token_now: str = body["access_token"]
    return token_now


def admin_token(app: Flask, client: FlaskClient, staff_no: str = "A001") -> str:
    return settle(client, staff_no, create_admin(app, staff_no))


def member(client: FlaskClient, admin: str, staff_no: str, *roles: str) -> str:
    """An account made by an admin, its roles granted, its first password changed."""
    made = client.post("/api/v1/auth/accounts", json={"staff_no": staff_no}, headers=bearer(admin))
    assert made.status_code == 201, made.json
    for role in roles:
        path = f"/api/v1/auth/accounts/{staff_no}/roles"
        granted = client.post(path, json={"role": role}, headers=bearer(admin))
        assert granted.status_code == 200, granted.json
    return settle(client, staff_no, made.json["one_time_password"])
