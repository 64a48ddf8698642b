"""The rewards service's structural diff of two rule set documents (a list of ``{"path",
"change", "from", "to"}``), grouped by part of the document and said readably: the part's name
in the reader's language, the rest of the path with rows counted from 1, values as compact
JSON. Pure: no request, no service."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l

PARTS = {
    "event_types": _l("Event types and their points"),
    "caps": _l("Caps"),
    "floors": _l("Floors for deductions"),
    "campaigns": _l("Campaigns"),
    "streak": _l("Streak"),
    "badges": _l("Badges"),
    "levels": _l("Levels"),
}
ORDER = list(PARTS)


def said(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def where(rest: list[str]) -> str:
    """``["0", "points"]`` as "#1 › points"."""
    return " › ".join(f"#{int(key) + 1}" if key.isdigit() else key for key in rest) or "—"


def spread(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A whole list added or removed (a part that was not there) as one change per row."""
    found = []
    for change in changes:
        side = "to" if change["change"] == "added" else "from"
        value = change.get(side)
        if change["change"] != "changed" and isinstance(value, list) and value:
            found += [
                {**change, side: item, "path": f"{change['path']}.{i}"}
                for i, item in enumerate(value)
            ]
        else:
            found.append(change)
    return found


def grouped(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes per part, in the document's order of parts (unknown parts last)."""
    parts: dict[str, list[dict[str, Any]]] = {}
    for change in spread(changes):
        first, *rest = change["path"].split(".")
        parts.setdefault(first, []).append(
            {
                "what": where(rest),
                "path": change["path"],
                "change": change["change"],
                "before": said(change["from"]) if "from" in change else "",
                "after": said(change["to"]) if "to" in change else "",
            }
        )
    ranked = sorted(parts, key=lambda p: (ORDER.index(p) if p in ORDER else len(ORDER), p))
    return [{"part": p, "name": str(PARTS.get(p, p)), "changes": parts[p]} for p in ranked]
