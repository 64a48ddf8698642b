"""Where on the draft form each of the rewards service's validation errors belongs.

The service keys its errors like the document (``{"caps": {"0": {"points": [...]}}}``,
services/rewards/document/). Each error's path is turned into the name of the form field it
speaks of (``caps-0-points``; an event type's row is found by its name); a path the form has
no field for is said at the top of the form, with its path. Known messages are said in the
reader's language (gateway/pages/rules_said.py).
"""

from __future__ import annotations

from typing import Any

from gateway.pages.rules_diff import where
from gateway.pages.rules_rows import ROW_FIELDS, Rows
from gateway.pages.rules_said import said

LISTED = ("caps", "floors", "campaigns", "badges", "levels")
# Fields of the document with another name on the form, per section.
ALIASES: dict[str, dict[str, str]] = {
    "et": {"score_bands": "points", "_schema": "name"},
    "caps": {"event_type": "name", "category": "name", "_schema": "name"},
    "floors": {"_schema": "per"},
    "campaigns": {"_schema": "name"},
    "badges": {"all_of": "criteria", "_schema": "code"},
    "levels": {"_schema": "min_points"},
    "milestones": {"_schema": "length"},
}
STREAK = {"per": "streak_per", "category": "streak_category", "activities": "streak_activities"}


def flatten(errors: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every message with the path of keys that leads to it."""
    if isinstance(errors, dict):
        return [pair for key, value in errors.items() for pair in flatten(value, (*path, str(key)))]
    if isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        return [(path, " ".join(said(item) for item in errors))]
    if isinstance(errors, list):
        return [pair for i, item in enumerate(errors) for pair in flatten(item, (*path, str(i)))]
    return [(path, said(str(errors)))]


def place(errors: Any, rows: Rows) -> tuple[dict[str, str], list[str]]:
    """(messages by form field, messages for the top of the form with their paths)."""
    by_field: dict[str, str] = {}
    top: list[str] = []
    for path, message in flatten(errors):
        field, rest = field_for(path, rows)
        said = f"{where(list(rest))}: {message}" if rest else message
        if field is None:
            top.append(f"{'.'.join(path)}: {message}" if path else message)
        else:
            by_field[field] = f"{by_field[field]} {said}" if field in by_field else said
    return by_field, top


def field_for(path: tuple[str, ...], rows: Rows) -> tuple[str | None, tuple[str, ...]]:
    """The form field a path names (None for none) and the part of the path beneath it."""
    if len(path) < 2:
        return None, ()
    section, key, rest = path[0], path[1], path[2:]
    if section == "event_types":
        names = [row["name"] for row in rows["et"]]
        if key not in names:
            return None, ()
        return _in_row("et", names.index(key), rest)
    if section in LISTED and key.isdigit():
        return _in_row(section, int(key), rest)
    if section == "streak":
        if key == "milestones" and rest and rest[0].isdigit():
            return _in_row("milestones", int(rest[0]), rest[1:])
        if key in STREAK:
            return STREAK[key], rest
    return None, ()


def _in_row(section: str, index: int, rest: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    fields = ROW_FIELDS[section]
    if not rest:
        return f"{section}-{index}-{fields[0]}", ()
    name = ALIASES.get(section, {}).get(rest[0], rest[0])
    rest = rest[1:]
    if name == "title":
        name, rest = (f"title_{rest[0]}", rest[1:]) if rest else ("title_zh", rest)
    if name not in fields:
        return f"{section}-{index}-{fields[0]}", (name, *rest)
    return f"{section}-{index}-{name}", rest
