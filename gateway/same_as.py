"""Parts of the gateway's own answers that are a service's answer relayed unchanged
(gateway/me.py) are marked ``x-same-as: <component>``; the merged document points them at that
service's own schema, so each shape is described once, by its owner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SAME_AS = "x-same-as"
_SCHEMAS = "#/components/schemas/"


def link_same_as(node: Any, schemas: Mapping[str, Any]) -> Any:
    """A copy of ``node`` where each schema marked ``x-same-as: <Name>`` (a service's answer
    the gateway relays unchanged, gateway/me.py) is that component, when the document has it
    (a service that is down leaves the plain description)."""
    if isinstance(node, list):
        return [link_same_as(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    name = node.get(SAME_AS)
    if isinstance(name, str) and name in schemas:
        ref = {"$ref": f"{_SCHEMAS}{name}"}
        # OpenAPI 3.0 ignores a $ref's siblings: a null allowed beside it goes in an allOf.
        linked = {"nullable": True, "allOf": [ref]} if node.get("nullable") else ref
        return {**linked, **({"description": node["description"]} if "description" in node else {})}
    return {key: link_same_as(value, schemas) for key, value in node.items()}
