"""The gateway: the platform's only public door.

It authenticates API keys, checks scopes, sets request ids and the sender headers, forwards
public paths to the services (see ``gateway.routes``), and serves the merged OpenAPI document
and its docs page, and signs people in (``/api/v1/auth/...``); it logs every request and
counts it for ``/metrics`` (gateway/observe.py). Run it with
``flask --app gateway run`` or ``gunicorn 'gateway:create_app()'``; manage keys with
``flask --app gateway keys --help`` and the first admin with ``flask --app gateway accounts``.
"""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway import cli, door, observe, pages, proxy, public, rate_limits
from gateway.allow import DocumentedMethods
from gateway.auth import KEY_CACHE_SECONDS, KeyCache
from gateway.openapi import PREFIXES, OpenApiCache
from gateway.transport import Upstreams
from services.common.db import init_db
from services.common.errors import register_error_handlers
from services.common.web import REQUEST_ID
from services.settings import Settings

# A client's own request id is kept only if it is short and plain: it ends up in every log.
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def create_app(
    settings: Settings | None = None, *, key_cache_seconds: float = KEY_CACHE_SECONDS
) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask("gateway", static_folder=None)
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    _trust_proxies(app, settings)
    observe.install(app, settings)

    db = init_db(app, settings.database_url("gateway"), settings.db_lock_timeout)
    upstreams = Upstreams(settings, tuple(PREFIXES))
    own_api = door.install(app, settings, db, KeyCache(db, ttl=key_cache_seconds))
    document = OpenApiCache(
        lambda service: public.fetch_document(upstreams, service), own=own_api.spec.to_dict
    )
    app.extensions["gateway.upstreams"] = upstreams
    app.extensions["gateway.openapi"] = document
    app.extensions["gateway.allow"] = DocumentedMethods(document)

    register_error_handlers(app)
    _install_request_id(app)
    rate_limits.install(app, settings)  # after the request id: a 429 carries it too
    app.register_blueprint(public.blp)
    app.register_blueprint(proxy.blp)
    pages.install(app, settings)
    app.cli.add_command(cli.keys_cli)
    app.cli.add_command(cli.accounts_cli)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return app


def _trust_proxies(app: Flask, settings: Settings) -> None:
    """Behind TRUSTED_PROXIES proxies, the client's address and scheme are those the proxies
    saw: the rightmost that many X-Forwarded-For/-Proto values, which our own proxies wrote (a
    client may send its own, further left, and is not believed). With none, only the
    connection itself counts: a client could otherwise pick its address for the rate limits.
    gunicorn is told to believe no forwarded header itself (deploy/gunicorn.conf.py), so this
    is the one place that decides."""
    hops = settings.trusted_proxies
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _install_request_id(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        sent = request.headers.get(REQUEST_ID, "")
        g.request_id = sent if _CLIENT_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID] = g.get("request_id") or uuid.uuid4().hex
        return response
