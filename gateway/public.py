"""What anyone may read without a key: liveness, readiness, the services' health, the API
document and its docs page. The page's assets come from the swagger-ui-bundle package, served
from here, so the docs work on a network with no way out."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import urllib3
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    render_template_string,
    send_from_directory,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from swagger_ui_bundle import swagger_ui_path

from gateway.openapi import PREFIXES, OpenApiCache
from gateway.transport import Upstreams
from services.common import readiness
from services.common.errors import ApiError, BadGateway
from services.common.redis_client import redis_from_url

SERVICES = tuple(PREFIXES)
# Short: these pages must answer promptly even when a service hangs.
PROBE_TIMEOUT = urllib3.Timeout(connect=1.0, read=2.0)
ASSET_MAX_AGE = 24 * 3600

blp = Blueprint("public", __name__)

DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Learning incentives API</title>
  <link rel="stylesheet" href="{{ url_for('public.docs_asset', filename='swagger-ui.css') }}">
  <link rel="icon" type="image/png"
        href="{{ url_for('public.docs_asset', filename='favicon-32x32.png') }}">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{{ url_for('public.docs_asset', filename='swagger-ui-bundle.js') }}"></script>
  <script src="{{ url_for('public.docs_asset', filename='swagger-ui-standalone-preset.js') }}">
  </script>
  <script>
    window.ui = SwaggerUIBundle({
      url: {{ spec_url|tojson }},
      dom_id: "#swagger-ui",
      deepLinking: true,
      // A key typed into the page is kept for this page only, never in the browser's storage,
      // where any script on this origin, or the next person at the machine, could read it.
      persistAuthorization: false,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
"""


@blp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok", service="gateway")


@blp.record_once
def _watch_stores(state: BlueprintSetupState) -> None:
    """The gateway is ready when its database (keys) and the platform's Redis (the boards it
    reads in its own process) answer."""
    app: Flask = state.app  # type: ignore[assignment]  # typed as Flask's sansio base
    client = redis_from_url(app.config["SETTINGS"].redis_url)
    readiness.watch(
        app, database=readiness.database(app.extensions["db"]), redis=readiness.redis(client)
    )


@blp.get("/readyz")
def readyz() -> Response:
    return readiness.answer(current_app, "gateway")


# OPTIONS answered by the API's own view (gateway/proxy.py), from the document: Flask's answer
# would also list the methods of the forwarding rule that shares the path.
@blp.get("/api/v1/health", provide_automatic_options=False)
def health() -> tuple[Response, int]:
    hop = _upstreams()  # taken here: the probing threads have no app context
    with ThreadPoolExecutor(max_workers=len(SERVICES)) as pool:
        found = pool.map(lambda service: _probe(hop, service), SERVICES)
        states = dict(zip(SERVICES, found, strict=True))
    healthy = all(state == "ok" for state in states.values())
    body = {"status": "ok" if healthy else "degraded", "services": states}
    return jsonify(body), 200 if healthy else 503


@blp.get("/api/openapi.json")
def openapi_document() -> Response:
    cache: OpenApiCache = current_app.extensions["gateway.openapi"]
    return Response(cache.body(), mimetype="application/json")


@blp.get("/api/docs", strict_slashes=False)
def docs_page() -> str:
    return render_template_string(DOCS_PAGE, spec_url=url_for("public.openapi_document"))


@blp.get("/api/docs/assets/<path:filename>")
def docs_asset(filename: str) -> Response:
    return send_from_directory(swagger_ui_path, filename, max_age=ASSET_MAX_AGE)


def _upstreams() -> Upstreams:
    hop: Upstreams = current_app.extensions["gateway.upstreams"]
    return hop


def _probe(hop: Upstreams, service: str) -> str:
    try:
        status, body = hop.get_json(service, "/healthz", PROBE_TIMEOUT)
    except ApiError:
        return "down"
    healthy = status == 200 and isinstance(body, dict) and body.get("status") == "ok"
    return "ok" if healthy else "down"


def fetch_document(upstreams: Upstreams, service: str) -> dict[str, Any]:
    """A service's own OpenAPI document, as the merge expects it."""
    status, document = upstreams.get_json(service, "/openapi.json", PROBE_TIMEOUT)
    if (
        status != 200
        or not isinstance(document, dict)
        or not isinstance(document.get("paths"), dict)
    ):
        raise BadGateway(f"The {service} service has no usable OpenAPI document.")
    return document
