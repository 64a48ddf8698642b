"""A rule set document as the draft form's rows, and back.

The form has a section per part of the document (docs/rules.md): event types, caps, floors,
campaigns, the streak and its milestones, badges and levels. Each repeated part is a list of
rows of plain strings, named ``<section>-<row>-<field>`` in the form; a row left blank is left
out, so the form always ends each section with one blank row to fill in. What a row cannot say
in a single field is written compactly: points by value as ``on_time=2, late=0``, score bands
as ``100=10, 90=6``, a streak activity per line as ``attendance: status=on_time|late``, and a
badge's criteria as JSON. Reading the rows back (``gateway/pages/rules_parse.py``) gives the
document the rewards service validates.
"""

from __future__ import annotations

import json
from typing import Any

Rows = dict[str, list[dict[str, str]]]

ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "et": (
        "name",
        "category",
        "method",
        "by",
        "points",
        "otherwise",
        "once_per",
        "attempts",
        "pass_percent",
    ),  # fmt: skip
    "caps": ("target", "name", "per", "points"),
    "floors": ("category", "per", "min_total"),
    "campaigns": ("name", "from", "to", "event_types", "multiplier"),
    "milestones": ("length", "points"),
    "badges": (
        "code",
        "title_zh",
        "title_en",
        "icon",
        "window",
        "points",
        "category",
        "criteria",
    ),  # fmt: skip
    "levels": ("min_points", "title_zh", "title_en", "icon"),
}
# A row is blank (left out) when all of these are empty.
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "et": ("name",),
    "caps": ("name", "points"),
    "floors": ("min_total",),
    "campaigns": ("name",),
    "milestones": ("length", "points"),
    "badges": ("code",),
    "levels": ("min_points", "title_zh", "title_en"),
}
STREAK_FIELDS = ("streak_per", "streak_category", "streak_activities")


def blank(section: str) -> dict[str, str]:
    row = dict.fromkeys(ROW_FIELDS[section], "")
    row.update({"method": "points", "target": "event_type", "per": "day", "window": "month"})
    return {key: row[key] for key in ROW_FIELDS[section]}


def is_blank(section: str, row: dict[str, str]) -> bool:
    return not any(row.get(key, "").strip() for key in KEY_FIELDS[section])


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def pairs(mapping: dict[Any, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in mapping.items())


def rows_of(document: dict[str, Any]) -> tuple[Rows, dict[str, str]]:
    """The form's rows and single fields for ``document`` (which may be unfinished)."""
    rows: Rows = {
        "et": [_rule_row(n, r) for n, r in _dict(document.get("event_types")).items()],
        "caps": [_cap_row(c) for c in _list(document.get("caps"))],
        "floors": [_floor_row(f) for f in _list(document.get("floors"))],
        "campaigns": [_campaign_row(c) for c in _list(document.get("campaigns"))],
        "milestones": [
            {"length": _text(m.get("length")), "points": _text(m.get("points"))}
            for m in _list(_dict(document.get("streak")).get("milestones"))
        ],
        "badges": [_badge_row(b) for b in _list(document.get("badges"))],
        "levels": [_level_row(level) for level in _list(document.get("levels"))],
    }
    streak = _dict(document.get("streak"))
    single = {
        "streak_per": _text(streak.get("per")),
        "streak_category": _text(streak.get("category")),
        "streak_activities": activities_text(_dict(streak.get("activities"))),
    }
    return rows, single


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _rule_row(name: str, rule: Any) -> dict[str, str]:
    rule = _dict(rule)
    row = blank("et")
    row["name"] = name
    for key in ("category", "by", "otherwise", "once_per", "attempts", "pass_percent"):
        row[key] = _text(rule.get(key))
    if "score_bands" in rule:
        row["method"] = "score_bands"
        bands = {b.get("min_percent"): b.get("points") for b in _list(rule["score_bands"])}
        row["points"] = pairs(bands)
    elif "by" in rule:
        row["method"] = "by"
        row["points"] = pairs(_dict(rule.get("points")))
    else:
        row["points"] = _text(rule.get("points"))
    return row


def _cap_row(cap: dict[str, Any]) -> dict[str, str]:
    target = "category" if "category" in cap else "event_type"
    return {"target": target, "name": _text(cap.get(target)), "per": _text(cap.get("per")),
            "points": _text(cap.get("points"))}  # fmt: skip


def _floor_row(floor: dict[str, Any]) -> dict[str, str]:
    return {key: _text(floor.get(key)) for key in ROW_FIELDS["floors"]}


def _campaign_row(campaign: dict[str, Any]) -> dict[str, str]:
    row = {key: _text(campaign.get(key)) for key in ROW_FIELDS["campaigns"]}
    types = campaign.get("event_types")
    row["event_types"] = ", ".join(map(str, types)) if isinstance(types, list) else ""
    return row


def _titled(row: dict[str, str], item: dict[str, Any]) -> dict[str, str]:
    title = _dict(item.get("title"))
    row["title_zh"], row["title_en"] = _text(title.get("zh")), _text(title.get("en"))
    return row


def _badge_row(badge: dict[str, Any]) -> dict[str, str]:
    row = {key: _text(badge.get(key)) for key in ("code", "icon", "window", "points", "category")}
    criteria = badge.get("all_of")
    row["criteria"] = json.dumps(criteria, ensure_ascii=False) if criteria is not None else ""
    return _titled(row, badge)


def _level_row(level: dict[str, Any]) -> dict[str, str]:
    row = {"min_points": _text(level.get("min_points")), "icon": _text(level.get("icon"))}
    return _titled(row, level)


def activities_text(activities: dict[str, Any]) -> str:
    """One line per activity: ``quiz`` or ``attendance: status=on_time|late; place=hall``."""
    lines = []
    for name, where in activities.items():
        where = _dict(where)
        conditions = "; ".join(
            f"{field}={'|'.join(map(str, values)) if isinstance(values, list) else values}"
            for field, values in where.items()
        )
        lines.append(f"{name}: {conditions}" if conditions else name)
    return "\n".join(lines)
