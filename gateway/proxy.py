"""The forwarding view: a public request, checked, sent on to its service, its answer relayed.

The hot path is: match the route, check the key (from the in-process cache), forward over the
pooled client (gateway/transport.py). For a system's key nothing on it opens a database session
or a new pool; a person's token is one read (gateway/auth.py says why).
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Request, Response, current_app, g, request
from werkzeug.exceptions import MethodNotAllowed

from gateway import member_access, routes
from gateway.accounts import STAFF
from gateway.allow import DocumentedMethods
from gateway.auth import Caller, Callers, KeyCache
from gateway.session import CSRF_HEADER
from gateway.transport import Answer, Upstreams
from services.common.errors import ApiError, Forbidden, PayloadTooLarge, json_error
from services.common.web import REQUEST_ID
from services.contracts import (
    KEY_EVENT_TYPES_HEADER,
    KEY_UNITS_HEADER,
    ROLES_HEADER,
    SCOPES_HEADER,
    SENDER_HEADER,
    VIEWER_HEADER,
    Reach,
)

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
# The gateway sets the X- ones itself; the key, the session cookie and its CSRF token stay here
# (services trust X-Sender instead); urllib3 sets Host and Content-Length for the hop it makes;
# bodies come back decoded.
SET_HERE = (
    SENDER_HEADER,
    SCOPES_HEADER,
    ROLES_HEADER,
    REQUEST_ID,
    KEY_EVENT_TYPES_HEADER,
    KEY_UNITS_HEADER,
)
DROP_REQUEST = HOP_BY_HOP | {
    "host",
    "content-length",
    "authorization",
    "cookie",
    "accept-encoding",
    *(name.lower() for name in SET_HERE),
    CSRF_HEADER.lower(),
}
DROP_RESPONSE = HOP_BY_HOP | {
    "content-length",
    "content-encoding",
    "server",
    "date",
    "x-request-id",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROXIED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]  # Flask adds HEAD

blp = Blueprint("proxy", __name__)


def forward_headers(incoming: Request, caller: Caller, request_id: str) -> dict[str, str]:
    named = incoming.headers.get("Connection", "")
    drop = DROP_REQUEST | {token.strip().lower() for token in named.split(",")}
    if caller.staff_no is not None:
        # A person is always the viewer, whatever the client sent. A system's key may still
        # name one (a kiosk showing someone their board).
        drop |= {VIEWER_HEADER.lower()}
    headers = {k: v for k, v in incoming.headers.items() if k.lower() not in drop}
    headers.update({SENDER_HEADER: caller.name, SCOPES_HEADER: caller.scope_text})
    if caller.staff_no is not None:
        headers[VIEWER_HEADER] = caller.staff_no
        held = [(STAFF, ""), *((h.role, h.unit) for h in caller.roles)]
        headers[ROLES_HEADER] = Reach.text(held)
    if caller.event_types:
        headers[KEY_EVENT_TYPES_HEADER] = " ".join(caller.event_types)
    if caller.units:
        headers[KEY_UNITS_HEADER] = " ".join(caller.units)
    headers[REQUEST_ID] = request_id
    return headers


def relay(answer: Answer, base_url: str, host_url: str) -> Response:
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


# OPTIONS is answered below, not by Flask: its own answer would list every proxied method.
@blp.route("/api/v1/<path:_rest>", methods=PROXIED_METHODS, provide_automatic_options=False)
def forward(_rest: str) -> Response:
    route = routes.route_for(request.method, request.path)
    g.route = route.pattern  # the metrics' and the log's route: the table's row, not the path
    caller = callers().from_request(request)
    authorised(caller, route, request.path)
    return send_on(route.service, caller)


def authorised(caller: Caller, route: routes.Route, path: str) -> None:
    """403 unless the caller may use the route on this path: every request the gateway
    sends on, forwarded or its own (gateway/as_person.py), passes here."""
    if caller.must_change:
        raise Forbidden("Change your password first: POST /api/v1/auth/password.")
    caller.require(route.scope, route.units)
    member_access.check(caller, path)


@blp.route("/api/v1/<path:_rest>", methods=["OPTIONS"])
def options(_rest: str) -> Response:
    """The methods the path takes, as the API document says; no key needed, as for it."""
    return Response(status=200, headers={"Allow": _allow_header(request.path)})


@blp.app_errorhandler(MethodNotAllowed)
def method_no_route_takes(exc: MethodNotAllowed) -> Response:
    """A method no route takes at all (TRACE, say): a 405 that lists the path's methods."""
    if not request.path.startswith(routes.PREFIX):  # a page of the gateway's own: as Flask says
        allow = exc.get_response().headers.get("Allow")
        return json_error(405, exc.description, headers={"Allow": allow} if allow else None)
    try:
        allow = _allow_header(request.path)
    except ApiError as error:
        return json_error(error.status, error.message, headers=error.headers)
    message = f"{request.method} is not allowed on {request.path}."
    return json_error(405, message, headers={"Allow": allow})


def _allow_header(path: str) -> str:
    methods: DocumentedMethods = current_app.extensions["gateway.allow"]
    return ", ".join(sorted(methods.allowed(path)))


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


def callers() -> Callers:
    found: Callers = current_app.extensions["gateway.callers"]
    return found


def keys() -> KeyCache:
    cache: KeyCache = current_app.extensions["gateway.keys"]
    return cache


def upstreams() -> Upstreams:
    hop: Upstreams = current_app.extensions["gateway.upstreams"]
    return hop
