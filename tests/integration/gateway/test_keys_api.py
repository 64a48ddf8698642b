"""The admins' API for keys (``/api/v1/auth/keys``) on a real database: create, list, rotate
and revoke, each in the audit log; only an admin of the whole organisation may; bad requests
are refused with the reason and change nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.db import utcnow
from tests.integration.gateway.conftest import GatewayFactory, new_key
from tests.integration.gateway.people import admin_token, bearer, member

KEYS = "/api/v1/auth/keys"


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis) -> Flask:
    return make_gateway(echo_urls)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> dict[str, str]:
    return bearer(admin_token(app, client))


def audit(client: FlaskClient, admin: dict[str, str], subject: str) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/auth/audit", headers=admin)
    return [r for r in answer.json["items"] if r["subject"] == subject]


def listed(client: FlaskClient, admin: dict[str, str]) -> dict[str, dict[str, Any]]:
    answer = client.get(KEYS, headers=admin)
    assert answer.status_code == 200, answer.json
    return {item["name"]: item for item in answer.json["items"]}


def test_an_admin_creates_a_key_shown_once_and_listed_without_its_secret(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    expires = (utcnow() + timedelta(days=90)).replace(microsecond=0)
    body = {"name": "quiz-platform", "scopes": ["read", "events"],
            "expires_at": expires.isoformat(), "event_types": ["quiz", "attendance"],
            "units": ["north"]}  # fmt: skip
    answer = client.post(KEYS, json=body, headers=admin)
    assert answer.status_code == 201, answer.json
    made = dict(answer.json)
    key = made.pop("key")
    assert made == {
        "name": "quiz-platform", "prefix": key[:11], "scopes": ["events", "read"],
        "status": "active", "created_at": made["created_at"], "last_used_at": None,
        "expires_at": expires.isoformat(), "rotated_at": None,
        "event_types": ["attendance", "quiz"], "units": ["north"],
    }  # fmt: skip
    seen = client.get("/api/v1/units", headers=bearer(key))
    assert seen.status_code == 200 and seen.json["headers"]["X-Sender"] == "quiz-platform"

    shown = listed(client, admin)["quiz-platform"]
    assert shown == {**made, "last_used_at": shown["last_used_at"]}
    text = client.get(KEYS, headers=admin).get_data(as_text=True)
    assert key not in text and key[12:] not in text and "hash" not in text
    [record] = audit(client, admin, "quiz-platform")
    assert (record["actor"], record["action"], record["outcome"]) == (
        "member:A001", "key-create", "ok",
    )  # fmt: skip
    assert "types: attendance quiz" in record["detail"] and "units: north" in record["detail"]


def test_a_key_made_by_the_cli_is_listed_and_an_admin_key_manages_keys_too(
    app: Flask, client: FlaskClient
) -> None:
    boss = bearer(new_key(app, "hr-roster", "admin"))
    made = client.post(KEYS, json={"name": "terminal", "scopes": ["events"]}, headers=boss)
    assert made.status_code == 201, made.json
    assert set(listed(client, boss)) == {"hr-roster", "terminal"}
    assert client.delete(f"{KEYS}/terminal", headers=boss).status_code == 204
    actions = [r["action"] for r in audit(client, boss, "terminal")]
    assert actions == ["key-revoke", "key-create"]  # newest first
    assert {r["actor"] for r in audit(client, boss, "terminal")} == {"key:hr-roster"}
    for method, path in (("POST", f"{KEYS}/hr-roster/rotate"), ("DELETE", f"{KEYS}/hr-roster")):
        itself = client.open(path, method=method, json={}, headers=boss)
        assert itself.status_code == 409 and "cannot" in itself.json["message"], itself.json
    assert client.get(KEYS, headers=boss).status_code == 200  # still its own key
    assert [r["action"] for r in audit(client, boss, "hr-roster")] == ["key-create"]  # by the CLI


def test_revoking_stops_the_key_at_once_keeps_its_name_and_is_audited(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    key = client.post(KEYS, json={"name": "kiosk", "scopes": ["read"]}, headers=admin).json["key"]
    assert client.get("/api/v1/units", headers=bearer(key)).status_code == 200  # now cached
    revoked = client.delete(f"{KEYS}/kiosk", headers=admin)
    assert revoked.status_code == 204 and revoked.get_data() == b""
    refused = client.get("/api/v1/units", headers=bearer(key))
    assert refused.status_code == 401 and refused.json["message"] == "The API key has been revoked."
    assert listed(client, admin)["kiosk"]["status"] == "revoked"
    assert client.delete(f"{KEYS}/kiosk", headers=admin).status_code == 204  # already: the same
    again = client.post(KEYS, json={"name": "kiosk", "scopes": ["read"]}, headers=admin)
    assert again.status_code == 409 and "already exists" in again.json["message"]
    rotate = client.post(f"{KEYS}/kiosk/rotate", json={}, headers=admin)
    assert rotate.status_code == 409 and "revoked" in rotate.json["message"]
    details = [r["detail"] for r in audit(client, admin, "kiosk") if r["action"] == "key-revoke"]
    assert details == ["already revoked", ""]


def test_unknown_names_are_404(client: FlaskClient, admin: dict[str, str]) -> None:
    for method, path in (("DELETE", f"{KEYS}/nobody"), ("POST", f"{KEYS}/nobody/rotate")):
        answer = client.open(path, method=method, json={}, headers=admin)
        assert answer.status_code == 404 and answer.json["message"] == "No key named 'nobody'."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["read"]}, "name"),
        ({"name": "has space", "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["write"]}, "scopes"),
        ({"name": "x", "scopes": ["events"], "event_types": ["Quiz"]}, "event_types"),
        ({"name": "x", "scopes": ["events"], "units": [f"u{i}" for i in range(21)]}, "units"),
        ({"name": "x", "scopes": ["events"], "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "scopes": ["events"], "expires_at": "soon"}, "expires_at"),
        ({"name": "x", "scopes": ["admin"], "units": ["north"]}, "scopes"),
    ],
)
def test_bad_requests_are_422_naming_the_field_and_make_nothing(
    client: FlaskClient, admin: dict[str, str], body: dict[str, Any], field: str
) -> None:
    answer = client.post(KEYS, json=body, headers=admin)
    assert answer.status_code == 422, answer.json
    assert field in answer.json["errors"]["json"], answer.json
    assert listed(client, admin) == {}
    assert audit(client, admin, "x") == []


def test_only_an_admin_of_the_whole_organisation_manages_keys(
    app: Flask, client: FlaskClient, admin: dict[str, str]
) -> None:
    token = admin["Authorization"].removeprefix("Bearer ")
    staff = bearer(member(client, token, "S001"))
    regional = member(client, token, "R001")
    granted = client.post(
        "/api/v1/auth/accounts/R001/roles", json={"role": "admin", "unit": "north"}, headers=admin
    )
    assert granted.status_code == 200, granted.json
    events_key = bearer(new_key(app, "terminal", "events", "read"))
    for who in (staff, bearer(regional), events_key):
        for method, path in (("GET", KEYS), ("POST", KEYS), ("POST", f"{KEYS}/terminal/rotate"),
                             ("DELETE", f"{KEYS}/terminal")):  # fmt: skip
            body = {"name": "mine", "scopes": ["admin"]}
            answer = client.open(path, method=method, json=body, headers=who)
            assert answer.status_code == 403, (who, method, path, answer.json)
            assert "admin of the whole organisation" in answer.json["message"]
    assert client.get(KEYS).status_code == 401
    assert client.post(KEYS, json={"name": "mine"}).status_code == 401  # 401 before the body
    assert set(listed(client, admin)) == {"terminal"}
    assert client.get("/api/v1/units", headers=events_key).status_code == 200  # not rotated


def test_the_keys_endpoints_are_in_the_document_and_other_methods_are_405(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    paths = client.get("/api/openapi.json").json["paths"]
    assert set(paths[KEYS]) >= {"get", "post"}
    assert "post" in paths[KEYS + "/{name}/rotate"] and "delete" in paths[KEYS + "/{name}"]
    assert paths[KEYS + "/{name}/rotate"]["post"]["requestBody"].get("required") is not True
    wrong = client.put(KEYS, json={}, headers=admin)
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "GET, HEAD, POST"
    assert client.get(f"{KEYS}/x/rotate", headers=admin).status_code == 405
