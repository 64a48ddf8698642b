"""Which methods a public path takes, as the API document says: the ``Allow`` header.

The routing table (gateway/routes.py) hands whole subtrees to a service (``/api/v1/members/**``
takes every write), so it cannot say which methods one path takes; the merged OpenAPI document
can. An ``OPTIONS`` answer, and the 405 for a method no route takes at all, list exactly the
methods the document gives the path, with HEAD beside GET (every GET answers HEAD too): a
client reading the document and one asking the server hear the same thing. A path whose
service is missing from the document (it is down) falls back to the routing table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway import routes
from gateway.openapi import HTTP_METHODS, OpenApiCache
from services.common.errors import NotFound

_PARAM = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class DocumentedPath:
    regex: re.Pattern[str]
    literal_segments: int
    methods: frozenset[str]


def index(paths: Mapping[str, Any]) -> list[DocumentedPath]:
    """The document's paths as patterns, the most literal first: ``/rulesets/active`` is
    matched before ``/rulesets/{version}``, as OpenAPI asks."""
    entries = []
    for template, item in paths.items():
        methods = {method.upper() for method in item if method in HTTP_METHODS}
        if "GET" in methods:
            methods.add("HEAD")
        segments = template.strip("/").split("/")
        body = "/".join("[^/]+" if _PARAM.fullmatch(s) else re.escape(s) for s in segments)
        literal = sum(1 for s in segments if not _PARAM.fullmatch(s))
        entries.append(DocumentedPath(re.compile(f"/{body}/?"), literal, frozenset(methods)))
    entries.sort(key=lambda entry: -entry.literal_segments)
    return entries


def documented(entries: list[DocumentedPath], path: str) -> frozenset[str] | None:
    """The methods the document gives a path, or None when it does not have the path."""
    return next((entry.methods for entry in entries if entry.regex.fullmatch(path)), None)


class DocumentedMethods:
    """The index of the merged document, made again whenever the cache rebuilds it."""

    def __init__(self, document: OpenApiCache) -> None:
        self.document = document
        # One tuple, replaced whole: threads read it without a lock.
        self._indexed: tuple[bytes, list[DocumentedPath]] = (b"", [])

    def allowed(self, path: str) -> frozenset[str]:
        """The methods to list in ``Allow`` for a public path; 404 for a path nobody serves."""
        routed = routes.methods_for(path)
        if not routed:
            raise NotFound(f"No API at {path}.")
        found = documented(self._entries(), path)
        return routed if found is None else found

    def _entries(self) -> list[DocumentedPath]:
        body = self.document.body()
        indexed_body, entries = self._indexed
        if body is not indexed_body:
            entries = index(json.loads(body).get("paths", {}))
            self._indexed = (body, entries)
        return entries
