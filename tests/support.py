"""Helpers the test tiers share: free ports, waiting for real servers, private databases."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import urllib3
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, TestResponse
from werkzeug.wrappers import Request

from deploy.local import free_port, private_postgres_schema, wait_for_port
from services.common.internal_only import EXTENSION
from services.common.signing import Signer, wire_target

# The test tiers import these from here.
__all__ = ["free_port", "private_postgres_schema", "wait_for_port"]


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, when set, adds a PostgreSQL run of every database test."""
    return os.environ.get("TEST_DATABASE_URL") or None


# The kinds of database each database test (and each fault drill) runs on.
DATABASES = ["sqlite"] + (["postgresql"] if postgres_url() else [])


@contextmanager
def serving(app, port: int | None = None) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve a real Flask app over real HTTP on a free port, in a thread, for one test."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port or free_port(), app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class SigningClient(FlaskClient):
    """The test client of every app in the tests: it signs each request as the gateway would,
    with the app's own signer, when the app requires a signature (the gateway's app does not).

    ``app.test_client(signed=False)`` sends requests as they are, as a stranger would.
    """

    def __init__(self, *args: Any, signed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed = signed

    def open(
        self, *args: Any, buffered: bool = False, follow_redirects: bool = False, **kwargs: Any
    ) -> TestResponse:
        signer: Signer | None = self.application.extensions.get(EXTENSION)
        if not self.signed or signer is None:
            return super().open(
                *args, buffered=buffered, follow_redirects=follow_redirects, **kwargs
            )
        request = self._as_request(args, kwargs)
        sign_environ(signer, request.environ)
        return super().open(request, buffered=buffered, follow_redirects=follow_redirects)

    def _as_request(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request:
        first = args[0] if args else None
        if isinstance(first, Request):
            return first
        if isinstance(first, EnvironBuilder):
            return first.get_request()
        if isinstance(first, dict):
            return EnvironBuilder.from_environ(first, app=self.application).get_request()
        return self._request_from_builder_args(args, kwargs)  # type: ignore[return-value]


def sign_environ(signer: Signer, environ: dict[str, Any]) -> None:
    """Add the signature of the request ``environ`` describes, as the service will see it."""
    seen = Request(environ)
    query = seen.query_string.decode("latin-1")
    value = signer.sign(seen.method, seen.path, query, seen.headers)
    environ["HTTP_" + signer.header.upper().replace("-", "_")] = value


def signed_call(
    http: urllib3.PoolManager,
    signer: Signer,
    base_url: str,
    method: str,
    path: str,
    body: Any = None,
    **headers: str,
) -> tuple[int, Any]:
    """One JSON request straight to a service over HTTP, signed as the platform signs it."""
    target = wire_target(path)
    sent = signer.signed(method, target, {"Content-Type": "application/json", **headers})
    response = http.request(
        method,
        base_url + target,
        body=None if body is None else json.dumps(body),
        headers=sent,
        timeout=30,
    )
    return response.status, json.loads(response.data) if response.data else None


def metric_value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` in a /metrics answer whose labels include
    ``labels`` (0 when there is none)."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )
