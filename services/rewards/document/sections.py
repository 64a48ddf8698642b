"""Validation of the rule set sections beyond base pricing: caps, floors, campaigns, the streak,
badges and levels (read by ``services.rules``). See docs/rules.md for each one.

Each section is checked on its own here; ``crosscheck`` then refuses references to event types
or categories the document does not define and rules that contradict each other, with errors
keyed by the offending item, e.g. ``{"caps": {1: {"event_type": ["Unknown event type ..."]}}}``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

NAME = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
NAME_ERROR = "Must be 1-32 characters: a-z first, then a-z, 0-9 or _."
MAX_POINTS = 10_000

PERIODS = ("day", "week", "month", "quarter", "year")
WINDOWS = (*PERIODS, "all")
MAX_ITEMS = 50


def _name(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(NAME, error=NAME_ERROR), **kwargs)


def _items(schema: type[Schema], **kwargs: Any) -> fields.List[Any]:
    kwargs.setdefault("validate", validate.Length(max=MAX_ITEMS))
    return fields.List(fields.Nested(schema), **kwargs)


class Titles(Schema):
    zh = fields.String(required=True, validate=validate.Length(1, 100))
    en = fields.String(required=True, validate=validate.Length(1, 100))


class Cap(Schema):
    event_type = _name()
    category = _name()
    per = fields.String(required=True, validate=validate.OneOf(PERIODS))
    points = fields.Integer(strict=True, required=True, validate=validate.Range(1, MAX_POINTS))

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        if ("event_type" in data) == ("category" in data):
            raise ValidationError("Give exactly one of event_type or category.", "_schema")


class Floor(Schema):
    category = _name()
    per = fields.String(required=True, validate=validate.OneOf(PERIODS))
    min_total = fields.Integer(strict=True, required=True, validate=validate.Range(-MAX_POINTS, 0))


class Multiplier(fields.Field[str]):
    """A number from 0.01 to 10 with at most two decimals, kept as written (no float drift)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError("Must be a number such as 1.5.")
        try:
            exact = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError("Must be a number such as 1.5.") from exc
        if not exact.is_finite() or not Decimal("0.01") <= exact <= 10:
            raise ValidationError("Must be from 0.01 to 10.")
        if exact != exact.quantize(Decimal("0.01")):
            raise ValidationError("At most two decimals.")
        return value


class LocalDate(fields.Date):
    """A local date (the organisation's zone), kept as its ISO string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        day: date = super()._deserialize(value, attr, data, **kwargs)
        return day.isoformat()


class Campaign(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 100))
    start = LocalDate(required=True, data_key="from")
    end = LocalDate(required=True, data_key="to")
    event_types = fields.List(_name(), required=True, validate=validate.Length(1, 100))
    multiplier = Multiplier(required=True)

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data and data["end"] < data["start"]:
            raise ValidationError("Must not be before 'from'.", "to")

    @post_load
    def _as_written(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # "from" and "to" are Python keywords, so the fields carry other names inside.
        data["from"], data["to"] = data.pop("start"), data.pop("end")
        return {key: data[key] for key in ("name", "from", "to", "event_types", "multiplier")}


class Milestone(Schema):
    length = fields.Integer(strict=True, required=True, validate=validate.Range(2, 10_000))
    points = fields.Integer(strict=True, required=True, validate=validate.Range(1, MAX_POINTS))


class Streak(Schema):
    per = fields.String(required=True, validate=validate.OneOf(("day", "week")))
    category = _name()
    activities = fields.Dict(
        keys=_name(),
        values=fields.Dict(
            keys=_name(), values=fields.List(fields.String(), validate=validate.Length(1, 100))
        ),
        required=True,
        validate=validate.Length(min=1),
    )
    milestones = _items(Milestone)

    @validates_schema
    def _distinct(self, data: dict[str, Any], **_: Any) -> None:
        lengths = [m["length"] for m in data.get("milestones", [])]
        duplicates = {
            i: {"length": ["Duplicate milestone."]}
            for i, n in enumerate(lengths)
            if n in lengths[:i]
        }
        if duplicates:
            raise ValidationError(duplicates, "milestones")


class Criterion(Schema):
    count = _name()
    where = fields.Dict(
        keys=_name(), values=fields.List(fields.String(), validate=validate.Length(1, 100))
    )
    min_percent = fields.Integer(strict=True, validate=validate.Range(0, 100))
    sum = _name()
    streak = fields.Integer(strict=True, validate=validate.Range(1, 10_000))
    at_least = fields.Integer(strict=True, validate=validate.Range(-1_000_000, 1_000_000))
    at_most = fields.Integer(strict=True, validate=validate.Range(0, 1_000_000))

    @validates_schema
    def _one_measure(self, data: dict[str, Any], **_: Any) -> None:
        measures = [m for m in ("count", "sum", "streak") if m in data]
        if len(measures) != 1:
            raise ValidationError("Give exactly one of count, sum or streak.", "_schema")
        if measures[0] != "count":
            for extra in ("where", "min_percent", "at_most"):
                if extra in data:
                    raise ValidationError("Only used with count.", extra)
        if measures[0] == "streak" and "at_least" in data:
            raise ValidationError("A streak criterion is its own length.", "at_least")
        if measures[0] != "streak" and "at_least" not in data and "at_most" not in data:
            raise ValidationError("Give at_least or at_most.", "at_least")
        if "at_least" in data and "at_most" in data and data["at_most"] < data["at_least"]:
            raise ValidationError("Can never hold: below at_least.", "at_most")


class Badge(Schema):
    code = _name(required=True)
    title = fields.Nested(Titles, required=True)
    icon = fields.String(validate=validate.Length(1, 200))
    window = fields.String(required=True, validate=validate.OneOf(WINDOWS))
    all_of = _items(Criterion, required=True, validate=validate.Length(1, 10))
    points = fields.Integer(strict=True, validate=validate.Range(0, MAX_POINTS))
    category = _name()

    @validates_schema
    def _can_be_earned(self, data: dict[str, Any], **_: Any) -> None:
        # A badge of only "at most" criteria would be awarded on the first event of a window.
        if data.get("all_of") and not any(
            c.get("at_least", 0) > 0 or "streak" in c for c in data["all_of"]
        ):
            raise ValidationError("Needs a criterion with at_least above 0, or a streak.", "all_of")


class Level(Schema):
    min_points = fields.Integer(strict=True, required=True, validate=validate.Range(0, 100_000_000))
    title = fields.Nested(Titles, required=True)
    icon = fields.String(validate=validate.Length(1, 200))


def crosscheck(document: dict[str, Any]) -> None:
    """Refuse references to what the document does not define, and contradictions."""
    found = _Refusals(document["event_types"])
    categories = _categories(document)
    _check_caps(document.get("caps", []), categories, found)
    _check_floors(document.get("floors", []), categories, found)
    for i, campaign in enumerate(document.get("campaigns", [])):
        for name in campaign["event_types"]:
            found.known_type("campaigns", i, "event_types", name)
    for name in document.get("streak", {}).get("activities", {}):
        if name not in found.types:
            found.errors.setdefault("streak", {}).setdefault("activities", {})[name] = [
                f"Unknown event type {name!r}."
            ]
    _check_badges(document, categories, found)
    _check_levels(document.get("levels", []), found)
    if found.errors:
        raise ValidationError(found.errors)


class _Refusals:
    """The crosscheck's errors, keyed by section, item and field, as marshmallow keys them."""

    def __init__(self, types: dict[str, Any]) -> None:
        self.types = types
        self.errors: dict[str, Any] = {}

    def refuse(self, section: str, index: Any, field_name: str, message: str) -> None:
        self.errors.setdefault(section, {}).setdefault(index, {})[field_name] = [message]

    def known_type(self, section: str, index: Any, field_name: str, name: str) -> None:
        if name not in self.types:
            self.refuse(section, index, field_name, f"Unknown event type {name!r}.")


def _categories(document: dict[str, Any]) -> set[str]:
    """Every category an entry can have: the rules', the streak's and the badges'."""
    categories = {rule["category"] for rule in document["event_types"].values()}
    if "streak" in document:
        categories.add(document["streak"].get("category", "streak"))
    return categories | {b.get("category", "badge") for b in document.get("badges", [])}


def _check_caps(caps: list[dict[str, Any]], categories: set[str], found: _Refusals) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for i, cap in enumerate(caps):
        target = (
            ("event_type", cap["event_type"])
            if "event_type" in cap
            else ("category", cap["category"])
        )
        if target[0] == "event_type":
            found.known_type("caps", i, "event_type", target[1])
        elif target[1] not in categories:
            found.refuse("caps", i, "category", f"Unknown category {target[1]!r}: no rule uses it.")
        first = seen.setdefault((*target, cap["per"]), i)
        if first != i:
            found.refuse("caps", i, "per", f"Contradicts cap {first}: same {target[0]} and period.")


def _check_floors(floors: list[dict[str, Any]], categories: set[str], found: _Refusals) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, floor in enumerate(floors):
        scope = floor.get("category", "*")
        if scope != "*" and scope not in categories:
            found.refuse("floors", i, "category", f"Unknown category {scope!r}: no rule uses it.")
        first = seen.setdefault((scope, floor["per"]), i)
        if first != i:
            found.refuse(
                "floors", i, "per", f"Contradicts floor {first}: same category and period."
            )


def _check_badges(document: dict[str, Any], categories: set[str], found: _Refusals) -> None:
    codes: dict[str, int] = {}
    for i, badge in enumerate(document.get("badges", [])):
        first = codes.setdefault(badge["code"], i)
        if first != i:
            found.refuse("badges", i, "code", f"Duplicate code: badge {first} has it too.")
        for j, criterion in enumerate(badge["all_of"]):
            where = f"all_of.{j}"
            if "count" in criterion:
                found.known_type("badges", i, where, criterion["count"])
                rule = found.types.get(criterion["count"], {})
                if "min_percent" in criterion and "score_bands" not in rule:
                    found.refuse(
                        "badges", i, where, "min_percent needs an event type priced by score."
                    )
            if "sum" in criterion and criterion["sum"] not in categories:
                found.refuse("badges", i, where, f"Unknown category {criterion['sum']!r}.")
            if "streak" in criterion and "streak" not in document:
                found.refuse("badges", i, where, "The document has no streak.")


def _check_levels(levels: list[dict[str, Any]], found: _Refusals) -> None:
    for i, (lower, higher) in enumerate(zip(levels, levels[1:], strict=False), start=1):
        if higher["min_points"] <= lower["min_points"]:
            found.refuse(
                "levels", i, "min_points", "Must be above the level before: list them lowest first."
            )
