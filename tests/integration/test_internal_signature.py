"""Every service behind the gateway refuses what the platform did not sign: unsigned requests,
requests whose identity headers were changed after signing, and signatures made with another
secret, on every path (public, internal, unknown, its API document); only liveness is open."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from deploy.migrate import MIGRATED
from services.common.internal_only import EXTENSION
from services.common.migrations import upgrade
from services.common.signing import Signer
from services.contracts import SCOPES_HEADER, SENDER_HEADER, SIGNATURE_HEADER
from services.settings import Settings


@dataclass(frozen=True)
class Case:
    """A read and an admin write of one service, and how to tell the write did nothing."""

    read: str
    write: tuple[str, str, dict[str, Any]]
    unchanged: Callable[[Any], bool]


CASES = {
    "points": Case(
        "/api/v1/units",
        ("POST", "/api/v1/units", {"code": "forged", "name": "Forged"}),
        lambda units: all(unit["code"] != "forged" for unit in units),
    ),
    "rewards": Case(
        "/api/v1/rulesets",
        ("POST", "/api/v1/rulesets", {"name": "forged", "document": {}}),
        lambda sets: all(item["name"] != "forged" for item in sets["items"]),
    ),
    "leaderboard": Case(
        "/api/v1/leaderboard/settings",
        ("PUT", "/api/v1/leaderboard/settings", {"privacy": "ranks_only"}),
        lambda settings: settings["privacy"] == "names",
    ),
}
ADMIN = {SENDER_HEADER: "hr-roster", SCOPES_HEADER: "admin"}
READER = {SENDER_HEADER: "dashboard", SCOPES_HEADER: "read"}


@pytest.fixture(params=sorted(CASES))
def service(request: pytest.FixtureRequest, settings: Settings, redis: Redis) -> Iterator[str]:
    yield request.param


@pytest.fixture
def app(service: str, settings: Settings) -> Iterator[Flask]:
    module = importlib.import_module(f"services.{service}.app")
    upgrade(MIGRATED[service], settings.database_url(service))
    app: Flask = module.create_app(settings)
    yield app
    app.extensions["db"].dispose()


def stranger(app: Flask) -> FlaskClient:
    return app.test_client(signed=False)


def assert_refused(answer: Any) -> None:
    assert answer.status_code == 401, answer.get_data(as_text=True)
    assert answer.json["code"] == 401 and answer.json["status"] == "Unauthorized"
    assert "signed" in answer.json["message"]


def test_an_unsigned_request_is_refused_on_every_path(app: Flask, service: str) -> None:
    case = CASES[service]
    client = stranger(app)
    for path in (case.read, "/internal/v1/anything", "/no/such/path", "/openapi.json"):
        assert_refused(client.get(path, headers=ADMIN))
    method, path, body = case.write
    assert_refused(client.open(path, method=method, json=body, headers=ADMIN))
    # Signed, the same read works, and shows the refused write changed nothing.
    answer = app.test_client().get(case.read, headers=READER)
    assert answer.status_code == 200 and case.unchanged(answer.json)
    assert app.test_client().get("/openapi.json").status_code == 200


def test_identity_headers_changed_after_signing_are_refused(app: Flask, service: str) -> None:
    case = CASES[service]
    signer: Signer = app.extensions[EXTENSION]
    method, path, body = case.write
    signed = signer.signed(method, path, READER)
    for forged in ({SCOPES_HEADER: "admin"}, {SENDER_HEADER: "hr-roster"}):
        answer = stranger(app).open(path, method=method, json=body, headers={**signed, **forged})
        assert_refused(answer)
    assert case.unchanged(app.test_client().get(case.read, headers=READER).json)


def test_a_signature_made_with_another_secret_is_refused(app: Flask, service: str) -> None:
    case = CASES[service]
    signer: Signer = app.extensions[EXTENSION]
    guess = Signer(b"not the platform's secret", SIGNATURE_HEADER, signer.covered)
    forged = guess.signed("GET", case.read, ADMIN)
    assert_refused(stranger(app).get(case.read, headers=forged))


def test_a_signature_for_another_path_is_refused(app: Flask, service: str) -> None:
    case = CASES[service]
    signer: Signer = app.extensions[EXTENSION]
    signed = signer.signed("GET", case.read, READER)
    assert_refused(stranger(app).get(case.read + "?limit=1", headers=signed))
    assert_refused(stranger(app).get("/internal/v1/anything", headers=signed))


def test_liveness_stays_open(app: Flask, service: str) -> None:
    answer = stranger(app).get("/healthz")
    assert answer.status_code == 200 and answer.json["service"] == service
