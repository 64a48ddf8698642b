"""The draft form read back into a rule set document (the rows of gateway/pages/rules_rows.py).

Only what the page can tell by itself is refused here, with a translated message next to the
field: a number that is not a whole number, a pair list or criteria that cannot be read. Whether
the values make a valid rule set (ranges, references, contradictions) is the rewards service's
to say; its answer is placed next to the fields by gateway/pages/rules_places.py.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from gateway.pages.rules_rows import ROW_FIELDS, STREAK_FIELDS, Rows, blank, is_blank

ROW_KEY = re.compile(r"(?P<section>[a-z]+)-(?P<index>\d{1,3})-(?P<field>[a-z_]+)\Z")


class Reading:
    """One reading of the form: its rows (blank ones left out), single fields and errors."""

    def __init__(self, form: MultiDict[str, str]) -> None:
        self.rows: Rows = _rows(form)
        self.single = {name: form.get(name, "").strip() for name in STREAK_FIELDS}
        self.errors: dict[str, str] = {}

    def number(self, field: str, text: str, optional: bool = False) -> int | None:
        text = text.strip()
        if not text and optional:
            return None
        try:
            return int(text)
        except ValueError:
            self.errors[field] = _("Enter a whole number.")
            return None

    def pairs(self, field: str, text: str, keys_are_numbers: bool = False) -> dict[Any, int]:
        found: dict[Any, int] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, equals, value = part.partition("=")
            try:
                if not equals or not key.strip():
                    raise ValueError(part)
                found[int(key) if keys_are_numbers else key.strip()] = int(value)
            except ValueError:
                self.errors[field] = _("Write each as value=points, separated by commas.")
        if not found and field not in self.errors:
            self.errors[field] = _("Write each as value=points, separated by commas.")
        return found


def _rows(form: MultiDict[str, str]) -> Rows:
    found: dict[str, dict[int, dict[str, str]]] = {section: {} for section in ROW_FIELDS}
    removed: set[tuple[str, int]] = set()
    for key, value in form.items(multi=False):
        match = ROW_KEY.match(key)
        if not match or match["section"] not in ROW_FIELDS:
            continue
        section, index = match["section"], int(match["index"])
        if match["field"] == "remove":
            removed.add((section, index))
        elif match["field"] in ROW_FIELDS[section]:
            found[section].setdefault(index, blank(section))[match["field"]] = value.strip()
    return {
        section: [
            row
            for index, row in sorted(rows.items())
            if (section, index) not in removed and not is_blank(section, row)
        ]
        for section, rows in found.items()
    }


def document_of(reading: Reading) -> dict[str, Any]:
    """The document the rows say; ``reading.errors`` holds what the page itself refused."""
    rows = reading.rows
    document: dict[str, Any] = {
        "event_types": {row["name"]: _rule(reading, i, row) for i, row in enumerate(rows["et"])},
        "caps": [_cap(reading, i, row) for i, row in enumerate(rows["caps"])],
        "floors": [_floor(reading, i, row) for i, row in enumerate(rows["floors"])],
        "campaigns": [_campaign(reading, i, row) for i, row in enumerate(rows["campaigns"])],
        "badges": [_badge(reading, i, row) for i, row in enumerate(rows["badges"])],
        "levels": [_level(reading, i, row) for i, row in enumerate(rows["levels"])],
    }
    streak = _streak(reading)
    if streak is not None:
        document["streak"] = streak
    return {key: value for key, value in document.items() if value or key == "event_types"}


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value not in (None, ""):
        target[key] = value


def _rule(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    field = f"et-{i}-points"
    rule: dict[str, Any] = {"category": row["category"]}
    if row["method"] == "score_bands":
        bands = reading.pairs(field, row["points"], keys_are_numbers=True)
        rule["score_bands"] = [{"min_percent": k, "points": v} for k, v in bands.items()]
        _put(rule, "otherwise", reading.number(f"et-{i}-otherwise", row["otherwise"], True))
    elif row["method"] == "by":
        rule["by"] = row["by"]
        rule["points"] = reading.pairs(field, row["points"])
    else:
        rule["points"] = reading.number(field, row["points"])
    _put(rule, "once_per", row["once_per"])
    _put(rule, "attempts", row["attempts"])
    _put(rule, "pass_percent", reading.number(f"et-{i}-pass_percent", row["pass_percent"], True))
    return rule


def _cap(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    target = "category" if row["target"] == "category" else "event_type"
    points = reading.number(f"caps-{i}-points", row["points"])
    return {target: row["name"], "per": row["per"], "points": points}


def _floor(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    floor: dict[str, Any] = {}
    _put(floor, "category", row["category"])
    floor["per"] = row["per"]
    floor["min_total"] = reading.number(f"floors-{i}-min_total", row["min_total"])
    return floor


def _campaign(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    types = [name.strip() for name in row["event_types"].split(",") if name.strip()]
    multiplier: Any = row["multiplier"]
    try:
        exact = Decimal(multiplier)
        multiplier = int(exact) if exact == exact.to_integral_value() else float(exact)
    except InvalidOperation:
        reading.errors[f"campaigns-{i}-multiplier"] = _("Enter a number such as 1.5.")
    return {"name": row["name"], "from": row["from"], "to": row["to"], "event_types": types,
            "multiplier": multiplier}  # fmt: skip


def _titles(row: dict[str, str]) -> dict[str, str]:
    return {"zh": row["title_zh"], "en": row["title_en"]}


def _badge(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    badge: dict[str, Any] = {"code": row["code"], "title": _titles(row)}
    _put(badge, "icon", row["icon"])
    badge["window"] = row["window"]
    try:
        badge["all_of"] = json.loads(row["criteria"] or "[]")
    except ValueError:
        reading.errors[f"badges-{i}-criteria"] = _("The criteria are not valid JSON.")
    _put(badge, "points", reading.number(f"badges-{i}-points", row["points"], True))
    _put(badge, "category", row["category"])
    return badge


def _level(reading: Reading, i: int, row: dict[str, str]) -> dict[str, Any]:
    level: dict[str, Any] = {
        "min_points": reading.number(f"levels-{i}-min_points", row["min_points"]),
        "title": _titles(row),
    }
    _put(level, "icon", row["icon"])
    return level


def _streak(reading: Reading) -> dict[str, Any] | None:
    single = reading.single
    milestones = reading.rows["milestones"]
    if not single["streak_per"]:
        return None
    streak: dict[str, Any] = {"per": single["streak_per"]}
    _put(streak, "category", single["streak_category"])
    streak["activities"] = _activities(reading, single["streak_activities"])
    streak["milestones"] = [
        {
            "length": reading.number(f"milestones-{i}-length", row["length"]),
            "points": reading.number(f"milestones-{i}-points", row["points"]),
        }
        for i, row in enumerate(milestones)
    ]
    return streak


def _activities(reading: Reading, text: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in filter(None, (line.strip() for line in text.splitlines())):
        name, _colon, rest = line.partition(":")
        where: dict[str, list[str]] = {}
        for condition in filter(None, (c.strip() for c in rest.split(";"))):
            field, equals, values = condition.partition("=")
            if not equals or not field.strip():
                reading.errors["streak_activities"] = _(
                    "Write one activity a line, e.g. attendance: status=on_time|late."
                )
                continue
            where[field.strip()] = [v.strip() for v in values.split("|") if v.strip()]
        found[name.strip()] = where
    return found
