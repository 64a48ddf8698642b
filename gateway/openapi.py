"""One OpenAPI document for the whole public API, merged from the services' own documents.

Each service's component names get a prefix (``Points``, ``Rewards``, ``Leaderboard``) and
every ``$ref`` is rewritten to match, so two services' ``Error`` schemas never collide. Only
operations the gateway actually routes to that service are kept, each marked with its scope.
A service that is down is listed under ``x-unavailable`` instead of failing the document.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gateway import routes, session
from gateway.same_as import link_same_as

log = logging.getLogger(__name__)

PREFIXES = {"points": "Points", "rewards": "Rewards", "leaderboard": "Leaderboard"}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_COMPONENTS = "#/components/"
_PARAM = re.compile(r"\{[^}/]+\}")

DESCRIPTION = (
    "The public API of the learning incentives platform, through its gateway. "
    "Send an API key as `Authorization: Bearer lk_...`, or a person's access token from "
    "`POST /api/v1/auth/sign-in` as `Authorization: Bearer lt_...`. A browser signs in with "
    "`POST /api/v1/auth/session` instead: the `li_session` cookie then stands for the header, "
    "and every POST, PUT, PATCH or DELETE with it must send the session's CSRF token as "
    "`X-CSRF-Token` (else 403). Each operation names the "
    "scope it needs (`events`, `read`, `admin` or `person`; `admin` implies `events` and "
    "`read`; a person's roles give `read`, and `admin` to an admin of the whole organisation; "
    "every signed-in person, and no key, holds `person`). Every response carries "
    "`X-Request-Id`. Errors share one JSON shape: `{code, status, message?, errors?}`. "
    "Requests are limited per caller (a key, a sign-in, else the client's address) and class of "
    "request (reads, writes, events, requests without a key); limited answers carry "
    "`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`, and a request over "
    "its limit gets 429 with `Retry-After`."
)
# Every operation but the public ones (gateway/rate_limits.py) may be refused for its rate.
TOO_MANY = {"$ref": "#/components/responses/GatewayTooManyRequests"}

# A key or token in the header, or a browser's session cookie (gateway/session.py).
SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "session": {"type": "apiKey", "in": "cookie", "name": session.COOKIE},
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]

GATEWAY_PATHS: dict[str, Any] = {
    "/api/v1/health": {
        "get": {
            "tags": ["gateway"],
            "summary": "Each service's health as the gateway sees it",
            "security": [],
            "responses": {
                "200": {"description": "Every service is up"},
                "503": {"description": "At least one service is down"},
            },
        }
    }
}


def rename_refs(node: Any, prefix: str) -> Any:
    """A copy of ``node`` with every ``#/components/<section>/<Name>`` given ``prefix``."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _prefixed_ref(value, prefix)
            elif key == "mapping" and isinstance(value, dict):  # discriminator mappings
                out[key] = {k: _prefixed_ref(v, prefix) for k, v in value.items()}
            else:
                out[key] = rename_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [rename_refs(item, prefix) for item in node]
    return node


def _prefixed_ref(ref: Any, prefix: str) -> Any:
    if not isinstance(ref, str) or not ref.startswith(_COMPONENTS):
        return ref
    section, _, name = ref[len(_COMPONENTS) :].partition("/")
    return f"{_COMPONENTS}{section}/{prefix}{name}"


def public_paths(service: str, paths: Mapping[str, Any]) -> dict[str, Any]:
    """The service's operations the gateway routes to it, each marked with its scope."""
    kept: dict[str, Any] = {}
    for path, item in paths.items():
        concrete = _PARAM.sub("x", path)
        operations = {}
        for method in HTTP_METHODS:
            route, _ = routes.lookup(method.upper(), concrete)
            if method in item and route is not None and route.service == service:
                operations[method] = _with_scope(item[method], route.scope, route.units)
        if operations:
            extra = {k: v for k, v in item.items() if k not in HTTP_METHODS}
            kept[path] = {**extra, **operations}
    return kept


def _with_scope(operation: dict[str, Any], scope: str, units: bool = False) -> dict[str, Any]:
    note = f"Needs the `{scope}` scope."
    if units:
        note += " An admin of a subtree of units may call it for members and units inside it."
    description = operation.get("description")
    responses = {
        "401": {"$ref": "#/components/responses/GatewayUnauthorized"},
        "403": {"$ref": "#/components/responses/GatewayForbidden"},
        "429": TOO_MANY,
        **operation.get("responses", {}),
    }
    return {
        **operation,
        "description": f"{description}\n\n{note}" if description else note,
        "security": copy.deepcopy(SIGNED_IN),
        "x-required-scope": scope,
        "responses": responses,
    }


OWN_PREFIX = "Auth"  # the component names of the gateway's own endpoints (sign-in, accounts)


def merge(
    documents: Mapping[str, Mapping[str, Any]],
    unavailable: list[str],
    own: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The combined document from each available service's own (already parsed) one, and the
    gateway's own endpoints' document (``own``), kept whole."""
    merged = _skeleton(unavailable)
    tags: dict[str, Any] = {}
    if own:
        renamed_own = rename_refs(own, OWN_PREFIX)
        for section, entries in renamed_own.get("components", {}).items():
            if section != "securitySchemes":
                target = merged["components"].setdefault(section, {})
                target.update({f"{OWN_PREFIX}{name}": value for name, value in entries.items()})
        merged["paths"].update(_rate_limited(renamed_own.get("paths", {})))
        tags.update({tag.get("name"): tag for tag in renamed_own.get("tags", [])})
    for service, document in documents.items():
        prefix = PREFIXES[service]
        renamed = rename_refs(document, prefix)
        for section, entries in renamed.get("components", {}).items():
            if section == "securitySchemes":
                continue  # the gateway's own schemes are the only ones clients use
            target = merged["components"].setdefault(section, {})
            target.update({f"{prefix}{name}": value for name, value in entries.items()})
        for path, item in public_paths(service, renamed.get("paths", {})).items():
            merged["paths"].setdefault(path, {}).update(item)
        for tag in renamed.get("tags", []):
            tags.setdefault(tag.get("name"), tag)
    merged["paths"] = dict(sorted(merged["paths"].items()))
    # Only tags that still label a public operation (internal ones were dropped with their paths).
    used = {
        tag
        for item in merged["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    kept = [tag for name, tag in tags.items() if name in used]
    merged["tags"] = [{"name": "gateway", "description": "The gateway itself"}, *kept]
    schemas = merged["components"].get("schemas", {})
    merged["paths"] = link_same_as(merged["paths"], schemas)
    merged["components"]["schemas"] = link_same_as(schemas, schemas)
    return merged


def _rate_limited(paths: Mapping[str, Any]) -> dict[str, Any]:
    """The gateway's own operations, each declaring the 429 every limited request may get."""
    out: dict[str, Any] = {}
    for path, item in paths.items():
        out[path] = {
            key: {**value, "responses": {"429": TOO_MANY, **value.get("responses", {})}}
            if key in HTTP_METHODS and isinstance(value, dict)
            else value
            for key, value in item.items()
        }
    return out


def _skeleton(unavailable: list[str]) -> dict[str, Any]:
    description = DESCRIPTION
    if unavailable:
        down = ", ".join(unavailable)
        description += f"\n\n**Unavailable when this document was built:** {down}."
    schema = {"$ref": "#/components/schemas/GatewayError"}
    error = {"description": "See the message", "content": {"application/json": {"schema": schema}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Learning incentives API", "version": "v1", "description": description},
        "paths": copy.deepcopy(GATEWAY_PATHS),
        "components": {
            "securitySchemes": copy.deepcopy(SECURITY_SCHEMES),
            "schemas": {"GatewayError": _ERROR_SCHEMA},
            "responses": {
                "GatewayUnauthorized": error,
                "GatewayForbidden": error,
                "GatewayTooManyRequests": _TOO_MANY_RESPONSE,
            },
        },
        "security": copy.deepcopy(SIGNED_IN),
        "x-unavailable": list(unavailable),
    }


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "integer"},
        "status": {"type": "string"},
        "message": {"type": "string"},
        "errors": {"type": "object"},
    },
    "required": ["code", "status"],
}

_TOO_MANY_RESPONSE = {
    "description": "Over this caller's rate limit; the message says which and for how long",
    "headers": {
        "Retry-After": {
            "description": "Seconds until the caller's window ends",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GatewayError"}}},
}

Fetch = Callable[[str], Mapping[str, Any]]


class OpenApiCache:
    """The merged document as JSON bytes, rebuilt at most every ``ttl`` seconds.

    A document missing a service is kept only briefly, so it heals soon after the service is
    back.
    """

    def __init__(
        self,
        fetch: Fetch,
        ttl: float = 30.0,
        partial_ttl: float = 5.0,
        own: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self.fetch = fetch
        self.own = own
        self.ttl = ttl
        self.partial_ttl = partial_ttl
        self._lock = threading.Lock()
        self._body = b""
        self._expires = 0.0

    def body(self) -> bytes:
        with self._lock:  # one rebuild at a time; the others wait and reuse it
            if time.monotonic() >= self._expires:
                document = self._build()
                self._body = json.dumps(document).encode()
                ttl = self.partial_ttl if document["x-unavailable"] else self.ttl
                self._expires = time.monotonic() + ttl
            return self._body

    def _build(self) -> dict[str, Any]:
        services = list(PREFIXES)
        with ThreadPoolExecutor(max_workers=len(services)) as pool:
            results = list(pool.map(self._try_fetch, services))
        documents = {s: doc for s, doc in zip(services, results, strict=True) if doc is not None}
        own = self.own() if self.own is not None else None
        return merge(documents, [s for s in services if s not in documents], own)

    def _try_fetch(self, service: str) -> Mapping[str, Any] | None:
        try:
            return self.fetch(service)
        except Exception as exc:  # any failure means "unavailable", never a broken document
            log.warning("no OpenAPI document from %s: %s", service, exc)
            return None
