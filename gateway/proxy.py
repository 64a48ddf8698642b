"""Forwarding to the services over one pooled HTTP client per process.

The hot path is: match the route, check the key (from the in-process cache), forward. Nothing
on it opens a database session or a new pool, and the services behind the gateway keep
connections alive (deploy/processes.py), so the hop reuses a pooled connection instead of
opening and closing one per request.
"""

from __future__ import annotations

import json
import logging
import os
from http.client import RemoteDisconnected
from typing import Any
from urllib.parse import quote

import urllib3
from flask import Blueprint, Request, Response, current_app, g, request
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ProtocolError, TimeoutError

from gateway import in_process, routes
from gateway.auth import Caller, KeyCache, bearer_key
from services.common.errors import (
    BadGateway,
    GatewayTimeout,
    PayloadTooLarge,
    ServiceUnavailable,
)
from services.common.web import REQUEST_ID
from services.contracts import SCOPES_HEADER, SENDER_HEADER
from services.settings import Settings

log = logging.getLogger(__name__)

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# The gateway sets the X- ones itself; the key stays here (services trust X-Sender instead);
# urllib3 sets Host and Content-Length for the hop it makes; bodies come back decoded.
DROP_REQUEST = HOP_BY_HOP | {
    "host",
    "content-length",
    "authorization",
    "cookie",
    "accept-encoding",
    *(name.lower() for name in (SENDER_HEADER, SCOPES_HEADER, REQUEST_ID)),
}
DROP_RESPONSE = HOP_BY_HOP | {
    "content-length",
    "content-encoding",
    "server",
    "date",
    "x-request-id",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
PROXIED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]  # Flask adds HEAD and OPTIONS

blp = Blueprint("proxy", __name__)


class Upstreams:
    """One connection pool for every service, shared by all requests of this process."""

    def __init__(
        self,
        settings: Settings,
        services: tuple[str, ...],
        local: dict[str, in_process.WsgiApp] | None = None,
    ) -> None:
        self.urls = {service: settings.url_of(service) for service in services}
        self.timeout = urllib3.Timeout(connect=2.0, read=settings.upstream_timeout)
        self.pool = urllib3.PoolManager(num_pools=8, maxsize=16, retries=False)
        # Services whose app runs in this process (gateway/in_process.py): no network hop.
        self.local = local if local is not None else _local_apps()

    def send(
        self,
        service: str,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: urllib3.Timeout | None = None,
    ) -> urllib3.BaseHTTPResponse | in_process.Answer:
        """One request to a service; failures of the hop become 502/503/504 API errors.

        Services keep connections alive, so a pooled connection may have been closed by the
        service (it restarted, or closed an idle connection) just as it is reused: the
        request then breaks before any answer. A read is sent once more on a new connection;
        a write is not (it may have been applied), and the client is told to retry.
        """
        timeout = timeout or self.timeout
        if service in self.local:
            return in_process.call(self.local[service], method, target, body, headers or {})
        attempts = 2 if method in IDEMPOTENT else 1
        for attempt in range(1, attempts + 1):
            try:
                return self.pool.urlopen(
                    method,
                    self.urls[service] + target,
                    body=body,
                    headers=headers,
                    timeout=timeout,
                    redirect=False,
                    retries=False,
                )
            except ProtocolError as exc:
                if not _dropped(exc):
                    log.warning("%s sent a broken answer: %s", service, exc)
                    raise BadGateway(f"The {service} service sent a broken answer.") from exc
                if attempt < attempts:
                    continue
                log.warning("%s dropped the connection: %s", service, exc)
                raise BadGateway(
                    f"The {service} service dropped the connection; retry shortly.",
                    headers={"Retry-After": "2"},
                ) from exc
            except ConnectTimeoutError as exc:
                # Refused or unreachable (urllib3 files refusals under connect timeouts): the
                # request never arrived, so it is safe to retry.
                log.warning("%s unreachable: %s", service, exc)
                raise ServiceUnavailable(
                    f"The {service} service is unavailable; retry shortly.", retry_after=2
                ) from exc
            except TimeoutError as exc:
                log.warning("%s timed out: %s", service, exc)
                raise GatewayTimeout(
                    f"The {service} service did not answer within {timeout.read_timeout} s."
                ) from exc
            except HTTPError as exc:
                log.warning("%s sent a broken answer: %s", service, exc)
                raise BadGateway(f"The {service} service sent a broken answer.") from exc
        raise AssertionError("unreachable")  # every attempt returns or raises

    def get_json(self, service: str, path: str, timeout: urllib3.Timeout) -> tuple[int, Any]:
        answer = self.send(service, "GET", path, timeout=timeout)
        try:
            return answer.status, json.loads(answer.data)
        except ValueError as exc:
            raise BadGateway(f"The {service} service sent a broken answer.") from exc


def forward_headers(incoming: Request, caller: Caller, request_id: str) -> dict[str, str]:
    named = incoming.headers.get("Connection", "")
    drop = DROP_REQUEST | {token.strip().lower() for token in named.split(",")}
    headers = {k: v for k, v in incoming.headers.items() if k.lower() not in drop}
    headers.update({SENDER_HEADER: caller.name, SCOPES_HEADER: caller.scope_text})
    headers[REQUEST_ID] = request_id
    return headers


def relay(
    answer: urllib3.BaseHTTPResponse | in_process.Answer, base_url: str, host_url: str
) -> Response:
    """The service's answer as ours: status, body and content type unchanged."""
    headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in DROP_RESPONSE]
    response = Response(answer.data, status=answer.status, headers=headers)
    if "Content-Type" not in answer.headers:
        del response.headers["Content-Type"]  # do not invent one the service did not send
    location = response.headers.get("Location")
    if location and location.startswith(base_url):
        # A service's absolute redirect must point back at the gateway, not at the service.
        response.headers["Location"] = host_url.rstrip("/") + location[len(base_url) :]
    return response


@blp.route("/api/v1/<path:_rest>", methods=PROXIED_METHODS)
def forward(_rest: str) -> Response:
    route = routes.route_for(request.method, request.path)
    caller = keys().authenticate(bearer_key(request.headers.get("Authorization")))
    caller.require(route.scope)
    return send_on(route.service, caller)


def send_on(service: str, caller: Caller) -> Response:
    body = _body() if request.method in BODY_METHODS else None
    target = quote(request.path)
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    hop = upstreams()
    answer = hop.send(
        service,
        request.method,
        target,
        body=body,
        headers=forward_headers(request, caller, g.request_id),
    )
    return relay(answer, hop.urls[service], request.host_url)


def _body() -> bytes | None:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    too_large = PayloadTooLarge(f"The body is larger than the limit of {limit} bytes.")
    if request.content_length is not None:
        if request.content_length > limit:
            raise too_large
        return request.get_data(cache=False) or None
    if not request.environ.get("wsgi.input_terminated"):
        return None  # no length and no end marker: the server says there is no body
    # Chunked: read one byte past the limit ourselves, because the framework's limited
    # stream stops quietly at the limit and would pass a truncated body on.
    stream, chunks, size = request.input_stream, [], 0
    while size <= limit:
        chunk = stream.read(min(64 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise too_large
    return b"".join(chunks) or None


def _dropped(exc: ProtocolError) -> bool:
    """The connection closed or reset before any answer (not a garbled answer)."""
    cause = exc.args[1] if len(exc.args) > 1 else exc.__cause__
    return isinstance(cause, (RemoteDisconnected, ConnectionError))


def _local_apps() -> dict[str, in_process.WsgiApp]:
    spec = os.environ.get(in_process.VARIABLE, "")
    return in_process.load(spec) if spec else {}


def keys() -> KeyCache:
    cache: KeyCache = current_app.extensions["gateway.keys"]
    return cache


def upstreams() -> Upstreams:
    hop: Upstreams = current_app.extensions["gateway.upstreams"]
    return hop
