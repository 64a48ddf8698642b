"""Reads the gateway makes itself, as the person it serves: ``GET /api/v1/me`` and the pages.

A read made here takes the same path as a forwarded request (gateway/proxy.py): the routing
table picks the service and the scope, ``proxy.authorised`` checks them and the member-data
rule (gateway/member_access.py), and the service gets the same signed headers, with the
person as the viewer whatever the client sent, so it applies the same rules (privacy, unit
reach). Nothing a page or ``/me`` shows could not be read over the API by the same person.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from flask import g, request

from gateway import routes
from gateway.auth import Caller
from gateway.proxy import authorised, forward_headers, upstreams
from gateway.transport import Answer
from services.common import i18n
from services.common.errors import ApiError, BadGateway


class Refused(Exception):
    """A service's answer other than 200, to relay or to show as the service gave it."""

    def __init__(self, service: str, answer: Answer) -> None:
        self.service, self.answer = service, answer

    @property
    def status(self) -> int:
        return self.answer.status


def read(caller: Caller, path: str, query: dict[str, Any] | None = None) -> dict[str, Any]:
    """``GET path?query`` as the caller, checked as a forwarded request is; the JSON object
    of a 200, else ``Refused``."""
    route = routes.route_for("GET", path)
    authorised(caller, route, path)
    body: dict[str, Any] = get(route.service, quote(path), query or {}, headers_for(caller))
    return body


def send(
    caller: Caller, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None
) -> tuple[int, Any]:
    """``method path?query`` with ``body`` as JSON, as the caller, checked as a forwarded
    request is (a page's form, sent on as the API call it stands for): the service's status
    and its decoded JSON (None for an empty or broken body). Refusals are the caller's to
    show, so nothing is raised for a 4xx."""
    data = None if body is None else json.dumps(body).encode()
    return decoded(send_raw(caller, method, path, data, "application/json", query))


def decoded(answer: Answer) -> tuple[int, Any]:
    """A service's status and its JSON (None for an empty or broken body)."""
    try:
        return answer.status, json.loads(answer.data) if answer.data else None
    except ValueError:
        return answer.status, None


def send_raw(
    caller: Caller,
    method: str,
    path: str,
    data: bytes | None = None,
    content_type: str | None = None,
    query: dict[str, Any] | None = None,
) -> Answer:
    """``method path?query`` with ``data`` as the body under its own ``content_type`` (a
    file a page's form carried), checked as ``send`` is: the service's answer as it came (a
    download's bytes and headers too), nothing raised for a 4xx."""
    route = routes.route_for(method, path)
    authorised(caller, route, path)
    headers = headers_for(caller)
    if data is not None:
        headers["Content-Type"] = content_type or "application/octet-stream"
    target = quote(path) + ("?" + urlencode(query, doseq=True) if query else "")
    return upstreams().send(route.service, method, target, body=data, headers=headers)


def headers_for(caller: Caller) -> dict[str, str]:
    """The signed-in person's headers for a service, from the request being served. A page's
    own request body (a form) is not what goes on, so its description stays here. The
    language is the one this request is answered in (the person's choice first, then the
    browser's), so what a service renders (an entry's explanation) matches the page."""
    headers = forward_headers(request, caller, g.request_id)
    kept = {k: v for k, v in headers.items() if k.lower() not in _PAGE_BODY}
    kept["Accept-Language"] = i18n.negotiated().replace("_", "-")
    return kept


_PAGE_BODY = frozenset({"content-type", "content-length", "content-encoding", "accept-language"})


def get(service: str, path: str, query: dict[str, Any], headers: dict[str, str]) -> Any:
    target = path + ("?" + urlencode(query, doseq=True) if query else "")
    answer = upstreams().send(service, "GET", target, headers=headers)
    if answer.status != 200:
        raise Refused(service, answer)
    try:
        body = json.loads(answer.data)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BadGateway(f"The {service} service sent a broken answer.")
    return body


def optional(
    unavailable: list[str],
    service: str,
    path: str,
    query: dict[str, Any],
    headers: dict[str, str],
) -> Any:
    """A part an answer can do without: None (and the service named) when it is down."""
    try:
        return get(service, path, query, headers)
    except ApiError as exc:
        if exc.status < 500:
            raise
    except Refused as refused:
        if refused.answer.status < 500:
            raise
    unavailable.append(service)
    return None
