"""Gateway fixtures: a migrated database, keys made through the real CLI, and real HTTP
upstreams (tiny Flask apps that echo what they received) served on free ports."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, jsonify, redirect, request
from redis import Redis

from gateway import create_app
from services.common.migrations import upgrade
from services.settings import Settings
from tests.support import free_port, serving

SERVICES = ("points", "rewards", "leaderboard")


def echo_app(service: str, openapi: dict[str, Any] | None = None) -> Flask:
    """An upstream that answers with what it received; query flags change how it answers."""
    app = Flask(f"echo-{service}")

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", service=service)

    @app.get("/openapi.json")
    def openapi_document() -> Response | tuple[Response, int]:
        return jsonify(openapi) if openapi is not None else (jsonify(message="none"), 404)

    @app.route("/<path:_path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def echo(_path: str) -> Any:
        args = request.args
        if "sleep" in args:
            time.sleep(float(args["sleep"]))
        if "redirect" in args:
            return redirect(request.host_url + "api/v1/units/elsewhere", code=307)
        if "ctype" in args:
            return Response(
                "a,b\n1,2\n", status=int(args.get("status", 200)), content_type=args["ctype"]
            )
        body = {
            "service": service,
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode(),
            "headers": dict(request.headers),
            "body": request.get_data(as_text=True),
            # Bytes that are not UTF-8 (an uploaded workbook) are compared by their digest.
            "body_sha256": hashlib.sha256(request.get_data()).hexdigest(),
        }
        return jsonify(body), int(args.get("status", 200))

    return app


@pytest.fixture
def migrated(settings: Settings) -> Settings:
    upgrade("gateway", settings.database_url("gateway"))
    return settings


@pytest.fixture
def dead_urls() -> dict[str, str]:
    """Service URLs on ports where nothing listens."""
    return {s: f"http://127.0.0.1:{free_port()}" for s in ("gateway", *SERVICES)}


@pytest.fixture(scope="session")
def echo_urls() -> Iterator[dict[str, str]]:
    """Every service answered by its own echo upstream (stateless, so shared by all tests)."""
    with (
        serving(echo_app("points")) as points,
        serving(echo_app("rewards")) as rewards,
        serving(echo_app("leaderboard")) as leaderboard,
    ):
        yield {
            "gateway": f"http://127.0.0.1:{free_port()}",
            "points": points,
            "rewards": rewards,
            "leaderboard": leaderboard,
        }


GatewayFactory = Callable[..., Flask]


@pytest.fixture
def make_gateway(migrated: Settings, dead_urls: dict[str, str], redis: Redis) -> GatewayFactory:
    """Gateways on a Redis flushed around the test: request counts (gateway/rate_limits.py)
    and failed sign-ins start from nothing."""

    def make(urls: dict[str, str] | None = None, **overrides: Any) -> Flask:
        cache_seconds = overrides.pop("key_cache_seconds", 5.0)
        settings = migrated.with_overrides(service_urls=urls or dead_urls, **overrides)
        app = create_app(settings, key_cache_seconds=cache_seconds)
        app.config["TESTING"] = True
        return app

    return make


@pytest.fixture
def gateway(make_gateway: GatewayFactory, echo_urls: dict[str, str]) -> Flask:
    return make_gateway(echo_urls)


def new_key(app: Flask, name: str, *scopes: str) -> str:
    """A key made the way an operator makes one: through the CLI, taking stdout's last line."""
    args = ["keys", "create", "--name", name]
    for scope in scopes:
        args += ["--scope", scope]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
