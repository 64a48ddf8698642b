"""Flask app set-up every service shares: the OpenAPI document, the error shape, /healthz,
/readyz, /metrics and the access log, request ids, the body size limit and the signed door
(services.common.internal_only).

Views take their arguments schema as an instance (``@blp.arguments(QuerySchema())``): given a
class, the parser builds a new schema for every request, a fifth of a member's standing read.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api

from services.common import access_log, i18n, metrics, readiness
from services.common.config import Settings
from services.common.errors import register_error_handlers
from services.common.internal_only import require_signature
from services.common.signing import Signer

REQUEST_ID = "X-Request-Id"

# Ids are INTEGER columns, 32 bits on PostgreSQL: a larger one names nothing (404, not the
# database's "out of range"), and the document says so (the path parameter's maximum). Use as
# ``@blp.route(f"/<{ID}:report_id>")``.
ID = "int(max=2147483647)"


def make_app(
    name: str, settings: Settings, *, title: str, description: str, signer: Signer
) -> tuple[Flask, Api]:
    """A service's app; it answers only requests ``signer`` verifies (internal_only)."""
    app = Flask(name)
    app.config.update(
        SETTINGS=settings,
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": description}},
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    api = Api(app)
    # Every service speaks the reader's language: explanations, validation messages.
    i18n.install(app, settings.org_timezone)
    register_error_handlers(app)
    _install_request_id(app)
    # Before the signature check, which may answer first: a refusal is counted and logged too.
    metrics.install(app, name)
    if settings.access_log:
        access_log.install(app, name)
    require_signature(app, signer)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", service=name)

    # Ready when the stores the app registered answer (services.common.readiness.watch).
    app.add_url_rule("/readyz", "readyz", lambda: readiness.answer(app, name))

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return app, api


def as_built(body: dict[str, Any]) -> Response:
    """Send a view's answer, already made of plain JSON values, without the schema's dump.

    The view's ``@blp.response`` schema still documents the answer (and the fuzz tests check
    answers against it); dumping a 100-row page through it cost a quarter of the request, so
    the hottest reads build their rows as the schema would and skip it.
    """
    return jsonify(body)


def _install_request_id(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        g.request_id = request.headers.get(REQUEST_ID) or uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID] = g.get("request_id", "")
        return response


def settings() -> Settings:
    from flask import current_app

    value: Settings = current_app.config["SETTINGS"]
    return value
