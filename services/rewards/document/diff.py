"""What changed between two rule set documents, as a list of paths a person can read."""

from __future__ import annotations

from typing import Any

MISSING = object()


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Changes from ``before`` to ``after``: ``{"path", "change", "from"?, "to"?}`` each, where
    change is added, removed or changed and the path is dotted ("event_types.quiz.otherwise";
    list positions count from 0)."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(before) + [key for key in after if key not in before]
        return [
            change
            for key in keys
            for change in diff(before.get(key, MISSING), after.get(key, MISSING), _join(path, key))
        ]
    if isinstance(before, list) and isinstance(after, list):
        found = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else MISSING
            new = after[index] if index < len(after) else MISSING
            found += diff(old, new, _join(path, str(index)))
        return found
    if before is MISSING:
        return [{"path": path, "change": "added", "to": after}]
    if after is MISSING:
        return [{"path": path, "change": "removed", "from": before}]
    if before == after and type(before) is type(after):
        return []
    return [{"path": path, "change": "changed", "from": before, "to": after}]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
