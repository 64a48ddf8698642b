"""Validation of a rule set document, exactly as ``services.rules.pricing.price`` reads it.

A document that passes can price every built-in event with valid data, never raising:
the property tests in tests/unit/test_rewards_properties.py hold us to that. Errors name the
offending rule, e.g. ``{"event_types": {"quiz": {"score_bands": {1: {"min_percent": [...]}}}}}``.

Each rule uses exactly one pricing method:

- flat: ``{"category", "points": 5}``
- by a value of the event's data: ``{"category", "by": "status", "points": {"late": 0, ...}}``
- by quiz score: ``{"category", "score_bands": [{"min_percent", "points"}], "otherwise"?}``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema
from marshmallow.error_store import merge_errors as _merge_errors

from services.rewards.document import sections
from services.rewards.document.sections import MAX_POINTS, NAME, NAME_ERROR

MAX_EVENT_TYPES = 100
MAX_VALUES = 100
MAX_VALUE_LENGTH = 64
MAX_BANDS = 20

# The attendance statuses the points service accepts; every rule set must price each one.
ATTENDANCE_STATUSES = ("on_time", "late", "absent", "excused")
# The longest practice rating the points service accepts.
MAX_RATING_LENGTH = 16


@dataclass(frozen=True)
class BuiltIn:
    """How a built-in event type must be priced, so that every valid event of it prices."""

    method: str  # "by" or "score_bands"
    by: str = ""
    values: tuple[str, ...] = ()  # exactly these, when given; else the rule set's own scale
    max_value_length: int = MAX_VALUE_LENGTH


BUILT_IN = {
    "attendance": BuiltIn("by", "status", ATTENDANCE_STATUSES),
    "quiz": BuiltIn("score_bands"),
    # Reviewers rate on the scale the rule set defines (A/B/C by default); other ratings are
    # refused at intake, naming the ones this set maps.
    "practice_report": BuiltIn("by", "rating", max_value_length=MAX_RATING_LENGTH),
}


def merge_errors(first: Any, second: Any) -> dict[str, Any]:
    merged: dict[str, Any] = _merge_errors(first, second)  # type: ignore[no-untyped-call]
    return merged


def _name(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Regexp(NAME, error=NAME_ERROR), **kwargs)


class Points(fields.Integer):
    """A whole number of points within +-MAX_POINTS; 2.5, "2" and true are refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, validate=validate.Range(-MAX_POINTS, MAX_POINTS), **kwargs)


class PointsByValue(fields.Field[dict[str, int]]):
    """``{value: points}``, with errors keyed by the offending value."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("Must be an object mapping each value to its points.")
        if not 1 <= len(value) <= MAX_VALUES:
            raise ValidationError(f"Must map between 1 and {MAX_VALUES} values.")
        points = Points(required=True)
        loaded: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, raw in value.items():
            if not 1 <= len(key) <= MAX_VALUE_LENGTH:
                errors[key] = [f"Values must be 1-{MAX_VALUE_LENGTH} characters long."]
                continue
            try:
                loaded[key] = points.deserialize(raw)
            except ValidationError as exc:
                errors[key] = exc.messages
        if errors:
            raise ValidationError(errors)
        return loaded


class Band(Schema):
    min_percent = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    points = Points(required=True)


class _Rule(Schema):
    category = _name(required=True)
    # Once per thing (see services.rules.attempts): the data field naming the thing.
    once_per = _name()
    attempts = fields.String(validate=validate.OneOf(("first", "best", "pass")))
    pass_percent = fields.Integer(strict=True, validate=validate.Range(0, 100))

    @validates_schema
    def _attempt_policy(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "attempts" in data and "once_per" not in data:
            raise ValidationError("Needs once_per: the data field naming the thing.", "attempts")
        passing = data.get("attempts") == "pass"
        if passing and "pass_percent" not in data:
            raise ValidationError("Required by attempts: pass.", "pass_percent")
        if "pass_percent" in data and not passing:
            raise ValidationError("Only used with attempts: pass.", "pass_percent")


class FlatRule(_Rule):
    points = Points(required=True)


class ByRule(_Rule):
    by = _name(required=True)
    points = PointsByValue(required=True)


class BandRule(_Rule):
    score_bands = fields.List(
        fields.Nested(Band), required=True, validate=validate.Length(1, MAX_BANDS)
    )
    otherwise = Points()

    @validates_schema
    def _bands_agree(self, data: dict[str, Any], **kwargs: Any) -> None:
        bands = data["score_bands"]
        errors: dict[Any, Any] = {}
        first: dict[int, int] = {}
        for index, band in enumerate(bands):
            if band["min_percent"] in first:
                message = f"Duplicate threshold: band {first[band['min_percent']]} has it too."
                errors[index] = {"min_percent": [message]}
            first.setdefault(band["min_percent"], index)
        if errors:
            raise ValidationError({"score_bands": errors})
        # Refuse what reads as a mistake: a better score must never earn fewer points.
        rising = sorted(range(len(bands)), key=lambda i: bands[i]["min_percent"])
        for lower, higher in zip(rising, rising[1:], strict=False):
            low = bands[lower]
            if bands[higher]["points"] < low["points"]:
                message = (
                    f"Earns less than the {low['min_percent']}% band ({low['points']}): "
                    "a better score must never earn fewer points."
                )
                errors[higher] = {"points": [message]}
        result: dict[str, Any] = {"score_bands": errors} if errors else {}
        lowest = bands[rising[0]]
        given = "otherwise" in data
        if lowest["min_percent"] == 0:
            if given:
                result["otherwise"] = ["Never used: the 0% band matches every score."]
        # Pricing gives 0 below every band when ``otherwise`` is left out.
        elif data.get("otherwise", 0) > lowest["points"]:
            what = "Earns" if given else "Missing data for required field: without it, 0 is"
            result["otherwise"] = [
                f"{what} more than the lowest band, {lowest['min_percent']}% "
                f"({lowest['points']}): a better score must never earn fewer points."
            ]
        if result:
            raise ValidationError(result)

    @post_load
    def _highest_first(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        # Stored in the order pricing checks them, so the document reads like its outcome.
        data["score_bands"].sort(key=lambda band: band["min_percent"], reverse=True)
        return data


RULES: dict[str, type[Schema]] = {"points": FlatRule, "by": ByRule, "score_bands": BandRule}


def _method(raw: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """The pricing method a rule asks for, and the keys that contradict it."""
    bands = "score_bands" in raw
    clashes: dict[str, list[str]] = {}
    if bands and "by" in raw:
        clashes["by"] = ["Cannot be used with score_bands: a rule prices by one method."]
    if bands and "points" in raw:
        clashes["points"] = ["Cannot be used with score_bands: each band carries its points."]
    if not bands and "otherwise" in raw:
        clashes["otherwise"] = ["Only used with score_bands."]
    if not bands and raw.get("attempts") == "pass":
        clashes["attempts"] = ["pass needs score_bands: a pass mark is a quiz percentage."]
    return ("score_bands" if bands else "by" if "by" in raw else "points"), clashes


def _built_in_errors(name: str, method: str, raw: dict[str, Any]) -> dict[str, Any]:
    spec = BUILT_IN.get(name)
    if spec is None:
        return {}
    if method != spec.method:
        how = "score bands" if spec.method == "score_bands" else f"by: {spec.by}"
        return {spec.method: [f"Missing data for required field: {name} is priced {how}."]}
    if spec.method != "by":
        return {}
    errors: dict[str, Any] = {}
    if raw["by"] != spec.by:
        errors["by"] = [f"Must be {spec.by!r} for {name}."]
    points = raw.get("points")
    if isinstance(points, dict):
        values: dict[str, list[str]] = {
            value: ["Missing data for required field."]
            for value in spec.values
            if value not in points
        }
        for value in points:
            if spec.values and value not in spec.values:
                allowed = ", ".join(spec.values)
                values[value] = [f"Unknown {spec.by}: {name} uses exactly {allowed}."]
            elif len(value) > spec.max_value_length:
                limit = spec.max_value_length
                values[value] = [f"Too long: a {spec.by} has at most {limit} characters."]
        if values:
            errors["points"] = values
    return errors


def load_rule(name: str, raw: Any) -> dict[str, Any]:
    """One event type's rule, validated; raises ValidationError keyed by field."""
    if not isinstance(raw, dict):
        raise ValidationError("Must be an object: the rule for this event type.")
    method, clashes = _method(raw)
    errors = merge_errors(clashes, _built_in_errors(name, method, raw))
    # Without the clashing keys, so they are not reported a second time as unknown fields.
    candidate = {key: value for key, value in raw.items() if key not in clashes}
    try:
        rule: dict[str, Any] = RULES[method]().load(candidate)
    except ValidationError as exc:
        errors = merge_errors(errors, exc.messages)
    if errors:
        raise ValidationError(errors)
    return rule


class EventTypes(fields.Field[dict[str, Any]]):
    """``{event type: rule}``; the built-in types must be present, with errors keyed by type."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("Must be an object mapping event type names to rules.")
        if len(value) > MAX_EVENT_TYPES:
            raise ValidationError(f"At most {MAX_EVENT_TYPES} event types.")
        rules: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for name, raw in value.items():
            try:
                if not NAME.match(name):
                    raise ValidationError(f"Invalid event type name. {NAME_ERROR}")
                rules[name] = load_rule(name, raw)
            except ValidationError as exc:
                errors[name] = exc.messages
        for name in BUILT_IN:
            if name not in value:
                errors[name] = ["Missing data for required field: a built-in event type."]
        if errors:
            raise ValidationError(errors)
        return rules


class DocumentSchema(Schema):
    """A rule set document: per event type, how an event's data turns into points."""

    event_types = EventTypes(
        required=True,
        metadata={
            "type": "object",
            "description": "Event type name to its rule; attendance, quiz and "
            "practice_report are required. See docs/rules.md.",
        },
    )
    caps = sections._items(sections.Cap)
    floors = sections._items(sections.Floor)
    campaigns = sections._items(sections.Campaign)
    streak = fields.Nested(sections.Streak)
    badges = sections._items(sections.Badge)
    levels = sections._items(sections.Level)

    @validates_schema
    def _consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "event_types" in data:
            sections.crosscheck(data)
