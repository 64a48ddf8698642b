"""The Allow header from the API document: each path's documented methods, HEAD beside GET."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.allow import DocumentedMethods, documented, index
from services.common.errors import NotFound

PATHS: dict[str, Any] = {
    "/api/v1/rulesets/{version}": {"parameters": [], "get": {}},
    "/api/v1/rulesets/active": {"get": {}},
    "/api/v1/rulesets": {"get": {}, "post": {}},
    "/api/v1/members/{staff_no}": {"get": {}, "patch": {}, "summary": "not a method"},
    "/api/v1/drafts/{draft_id}/diff/{version}": {"get": {}},
    "/api/v1/drafts/{draft_id}/preview": {"post": {}},
    "/api/v1/health": {"get": {}},
}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/rulesets", {"GET", "HEAD", "POST"}),
        ("/api/v1/rulesets/", {"GET", "HEAD", "POST"}),
        ("/api/v1/rulesets/active", {"GET", "HEAD"}),
        ("/api/v1/rulesets/7", {"GET", "HEAD"}),
        ("/api/v1/members/S0001", {"GET", "HEAD", "PATCH"}),
        ("/api/v1/drafts/3/diff/2", {"GET", "HEAD"}),
        ("/api/v1/drafts/3/preview", {"POST"}),
    ],
)
def test_documented_methods_of_a_path(path: str, methods: set[str]) -> None:
    assert documented(index(PATHS), path) == methods


def test_paths_the_document_lacks_have_none() -> None:
    entries = index(PATHS)
    for path in ("/api/v1/units", "/api/v1/members/S0001/ledger", "/api/v1/drafts/3/diff"):
        assert documented(entries, path) is None, path


def test_literal_paths_are_matched_before_templates() -> None:
    entries = index({"/a/{x}": {"get": {}}, "/a/b": {"post": {}}})
    assert documented(entries, "/a/b") == {"POST"}
    assert documented(entries, "/a/c") == {"GET", "HEAD"}


class FixedDocument:
    """Stands in for the OpenAPI cache: the same bytes until the document changes."""

    def __init__(self, paths: dict[str, Any]) -> None:
        self.body_bytes = json.dumps({"paths": paths}).encode()

    def body(self) -> bytes:
        return self.body_bytes


def test_allowed_takes_the_document_then_the_routing_table() -> None:
    document = FixedDocument({"/api/v1/members/{staff_no}": {"get": {}, "patch": {}}})
    methods = DocumentedMethods(document)  # type: ignore[arg-type]
    assert methods.allowed("/api/v1/members/S0001") == {"GET", "HEAD", "PATCH"}
    # Not in the document (its service is down, say): what the routing table takes there.
    assert methods.allowed("/api/v1/rulesets/7") == {
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
    }
    with pytest.raises(NotFound):
        methods.allowed("/api/v1/nothing")
    # A rebuilt document is indexed again.
    document.body_bytes = json.dumps(
        {"paths": {"/api/v1/members/{staff_no}": {"get": {}}}}
    ).encode()
    assert methods.allowed("/api/v1/members/S0001") == {"GET", "HEAD"}
