"""The door of every service behind the gateway: only signed requests come in.

One ``before_request`` checks the internal signature (``services.common.signing``) on every
request, before routing, so an unsigned caller learns nothing, not even which paths exist.
Liveness, readiness and the metrics stay open: process managers, load balancers and the
machine's scraper read them without the platform's secret; the services listen on
SERVICE_HOST (loopback by default), and these reveal no member's data.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request

from services.common.errors import json_error
from services.common.signing import Signer

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
EXTENSION = "internal.signer"


def require_signature(app: Flask, signer: Signer, open_paths: frozenset[str] = OPEN_PATHS) -> None:
    app.extensions[EXTENSION] = signer

    @app.before_request
    def _signed_by_the_platform() -> Response | None:
        if request.path in open_paths:
            return None
        query = request.query_string.decode("latin-1")
        reason = signer.check(request.method, request.path, query, request.headers)
        if reason is None:
            return None
        log.warning(
            "refused %s %r from %s: %s", request.method, request.path, request.remote_addr, reason
        )
        return json_error(
            401, f"This service answers only requests signed by the platform ({reason})."
        )
