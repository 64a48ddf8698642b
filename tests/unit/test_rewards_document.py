"""Every way a rule set document can be refused, and where the error points."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from marshmallow import ValidationError

from services.rewards.document.validate import (
    MAX_BANDS,
    MAX_EVENT_TYPES,
    MAX_POINTS,
    MAX_RATING_LENGTH,
    DocumentSchema,
)
from tests.rules_examples import DEFAULT, default_rule, default_with

DEFAULT_ATTENDANCE = DEFAULT["event_types"]["attendance"]["points"]


def errors(doc: Any) -> Any:
    with pytest.raises(ValidationError) as caught:
        DocumentSchema().load(doc)
    return caught.value.messages


def event_type_errors(doc: Any) -> Any:
    return errors(doc)["event_types"]


def test_the_default_document_is_accepted_unchanged() -> None:
    assert DocumentSchema().load(copy.deepcopy(DEFAULT)) == DEFAULT


def test_custom_flat_and_by_types_are_accepted() -> None:
    doc = default_with(
        lecture_given={"category": "custom", "points": 5},
        mentoring={"category": "custom", "by": "level", "points": {"1": 1, "2": 3}},
        exam={"category": "quiz", "score_bands": [{"min_percent": 0, "points": 1}]},
    )
    assert DocumentSchema().load(doc) == doc


def test_bands_are_stored_highest_first() -> None:
    bands = [{"min_percent": 60, "points": 3}, {"min_percent": 100, "points": 10}]
    loaded = DocumentSchema().load(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert [b["min_percent"] for b in loaded["event_types"]["quiz"]["score_bands"]] == [100, 60]


@pytest.mark.parametrize("points", [MAX_POINTS, -MAX_POINTS, 0])
def test_points_at_the_limits_are_accepted(points: int) -> None:
    DocumentSchema().load(default_with(extra={"category": "custom", "points": points}))


# The document as a whole


@pytest.mark.parametrize("value", [[], "rules", 3, None])
def test_a_document_must_be_an_object(value: Any) -> None:
    assert "_schema" in errors(value)


def test_event_types_are_required() -> None:
    assert errors({}) == {"event_types": ["Missing data for required field."]}


@pytest.mark.parametrize("value", [[], "quiz", 1, None])
def test_event_types_must_be_an_object(value: Any) -> None:
    assert isinstance(errors({"event_types": value})["event_types"], list)


def test_unknown_document_fields_are_refused() -> None:
    doc = default_with()
    doc["bonuses"] = {"quiz": 20}
    assert errors(doc) == {"bonuses": ["Unknown field."]}


def test_too_many_event_types_are_refused() -> None:
    extra = {f"t{i}": {"category": "custom", "points": 1} for i in range(MAX_EVENT_TYPES)}
    assert "At most" in event_type_errors(default_with(**extra))[0]


@pytest.mark.parametrize("name", ["Quiz", "9lives", "a" * 33, "with-dash", "", "x\n"])
def test_event_type_names_are_checked(name: str) -> None:
    doc = default_with()
    doc["event_types"][name] = {"category": "custom", "points": 1}
    assert list(event_type_errors(doc)) == [name]


@pytest.mark.parametrize("name", ["attendance", "quiz", "practice_report"])
def test_built_in_types_are_required(name: str) -> None:
    found = event_type_errors(default_with(**{name: ...}))
    assert list(found) == [name] and "built-in" in found[name][0]


@pytest.mark.parametrize("value", [[], "flat", 5, None])
def test_a_rule_must_be_an_object(value: Any) -> None:
    assert isinstance(event_type_errors(default_with(extra=value))["extra"], list)


# Fields every rule has


def test_category_is_required() -> None:
    found = event_type_errors(default_with(extra={"points": 1}))
    assert found == {"extra": {"category": ["Missing data for required field."]}}


@pytest.mark.parametrize("category", ["Quiz", "", 5, None, "a" * 33])
def test_category_is_a_name(category: Any) -> None:
    found = event_type_errors(default_with(quiz=default_rule("quiz", category=category)))
    assert list(found["quiz"]) == ["category"]


def test_unknown_rule_fields_are_refused() -> None:
    found = event_type_errors(default_with(extra={"category": "c", "points": 1, "cap": 20}))
    assert found == {"extra": {"cap": ["Unknown field."]}}


def test_a_rule_needs_a_pricing_method() -> None:
    found = event_type_errors(default_with(extra={"category": "custom"}))
    assert found == {"extra": {"points": ["Missing data for required field."]}}


# Points


@pytest.mark.parametrize("points", [2.5, 2.0, "2", True, None, [], MAX_POINTS + 1, -MAX_POINTS - 1])
def test_flat_points_are_whole_numbers_within_limits(points: Any) -> None:
    found = event_type_errors(default_with(extra={"category": "custom", "points": points}))
    assert list(found["extra"]) == ["points"]


@pytest.mark.parametrize("points", [2.5, "2", False, None, MAX_POINTS + 1])
def test_points_by_value_are_checked_per_value(points: Any) -> None:
    doc = default_with(
        attendance=default_rule("attendance", points={**DEFAULT_ATTENDANCE, "late": points})
    )
    found = event_type_errors(doc)
    assert list(found["attendance"]["points"]) == ["late"]


@pytest.mark.parametrize("points", [5, [], "A"])
def test_points_by_value_must_be_an_object(points: Any) -> None:
    found = event_type_errors(
        default_with(extra={"category": "c", "by": "level", "points": points})
    )
    assert isinstance(found["extra"]["points"], list)


def test_points_by_value_must_not_be_empty() -> None:
    found = event_type_errors(default_with(extra={"category": "c", "by": "level", "points": {}}))
    assert isinstance(found["extra"]["points"], list)


def test_points_by_value_must_not_list_too_many_values() -> None:
    many = {str(i): 1 for i in range(101)}
    found = event_type_errors(default_with(extra={"category": "c", "by": "level", "points": many}))
    assert isinstance(found["extra"]["points"], list)


@pytest.mark.parametrize("value", ["", "v" * 65])
def test_mapped_values_have_a_sane_length(value: str) -> None:
    doc = default_with(extra={"category": "c", "by": "level", "points": {value: 1}})
    assert list(event_type_errors(doc)["extra"]["points"]) == [value]


@pytest.mark.parametrize("by", ["Status", "", 3, None])
def test_by_is_a_name(by: Any) -> None:
    doc = default_with(extra={"category": "c", "by": by, "points": {"x": 1}})
    assert list(event_type_errors(doc)["extra"]) == ["by"]


# Built-in types must be priced the way their events are shaped


def test_attendance_must_be_priced_by_status() -> None:
    found = event_type_errors(default_with(attendance={"category": "attendance", "points": 2}))
    assert list(found["attendance"]) == ["by"]


def test_attendance_by_something_else_is_refused() -> None:
    found = event_type_errors(default_with(attendance=default_rule("attendance", by="mood")))
    assert found == {"attendance": {"by": ["Must be 'status' for attendance."]}}


def test_attendance_must_cover_every_status() -> None:
    points = {"on_time": 2, "late": 0, "absent": -3}
    found = event_type_errors(default_with(attendance=default_rule("attendance", points=points)))
    assert found == {"attendance": {"points": {"excused": ["Missing data for required field."]}}}


def test_attendance_must_not_invent_statuses() -> None:
    points = {**DEFAULT_ATTENDANCE, "sick": 0}
    found = event_type_errors(default_with(attendance=default_rule("attendance", points=points)))
    assert list(found["attendance"]["points"]) == ["sick"]


def test_practice_report_must_be_priced_by_rating() -> None:
    found = event_type_errors(
        default_with(practice_report=default_rule("practice_report", by="grade"))
    )
    assert list(found["practice_report"]) == ["by"]
    flat = {"category": "practice", "points": 5}
    assert list(event_type_errors(default_with(practice_report=flat))["practice_report"]) == ["by"]


def test_practice_ratings_are_the_rule_sets_own_scale() -> None:
    scale = {"excellent": 8, "good": 5, "pass": 2, "redo": 0}
    DocumentSchema().load(
        default_with(practice_report=default_rule("practice_report", points=scale))
    )


def test_practice_ratings_fit_what_intake_accepts() -> None:
    scale = {"A": 8, "r" * (MAX_RATING_LENGTH + 1): 1}
    found = event_type_errors(
        default_with(practice_report=default_rule("practice_report", points=scale))
    )
    assert list(found["practice_report"]["points"]) == ["r" * (MAX_RATING_LENGTH + 1)]


@pytest.mark.parametrize(
    "quiz",
    [
        {"category": "quiz", "points": 5},
        {"category": "quiz", "by": "grade", "points": {"pass": 3}},
    ],
)
def test_quiz_must_use_score_bands(quiz: dict[str, Any]) -> None:
    found = event_type_errors(default_with(quiz=quiz))
    assert list(found["quiz"]) == ["score_bands"]


# Score bands


@pytest.mark.parametrize("bands", [[], "90", {"min_percent": 90}, [None]])
def test_score_bands_are_a_non_empty_list_of_bands(bands: Any) -> None:
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert list(found["quiz"]) == ["score_bands"]


def test_score_bands_are_limited_in_number() -> None:
    bands = [{"min_percent": i, "points": i} for i in range(MAX_BANDS + 1)]
    found = event_type_errors(
        default_with(quiz=default_rule("quiz", score_bands=bands, otherwise=...))
    )
    assert isinstance(found["quiz"]["score_bands"], list)


@pytest.mark.parametrize("min_percent", [-1, 101, 90.5, "90", None, True])
def test_min_percent_is_a_whole_percentage(min_percent: Any) -> None:
    bands = copy.deepcopy(DEFAULT["event_types"]["quiz"]["score_bands"])
    bands[1]["min_percent"] = min_percent
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert list(found["quiz"]["score_bands"][1]) == ["min_percent"]


def test_band_points_are_checked() -> None:
    bands = copy.deepcopy(DEFAULT["event_types"]["quiz"]["score_bands"])
    bands[2]["points"] = 3.5
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert found == {"quiz": {"score_bands": {2: {"points": ["Not a valid integer."]}}}}


def test_band_fields_are_required_and_closed() -> None:
    bands = [{"points": 5}, {"min_percent": 50, "points": 1, "label": "pass"}]
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))["quiz"]
    assert found["score_bands"] == {
        0: {"min_percent": ["Missing data for required field."]},
        1: {"label": ["Unknown field."]},
    }


def test_duplicate_thresholds_are_refused() -> None:
    bands = [{"min_percent": 90, "points": 6}, {"min_percent": 90, "points": 5}]
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert list(found["quiz"]["score_bands"]) == [1]
    assert "Duplicate" in found["quiz"]["score_bands"][1]["min_percent"][0]


def test_a_better_score_never_earns_fewer_points() -> None:
    bands = [{"min_percent": 100, "points": 2}, {"min_percent": 60, "points": 3}]
    found = event_type_errors(default_with(quiz=default_rule("quiz", score_bands=bands)))
    assert list(found["quiz"]["score_bands"][0]) == ["points"]


def test_otherwise_must_not_beat_the_lowest_band() -> None:
    found = event_type_errors(default_with(quiz=default_rule("quiz", otherwise=4)))
    assert list(found["quiz"]) == ["otherwise"]


def test_otherwise_is_required_below_a_negative_lowest_band() -> None:
    # Without it a score below every band earns 0, more than the band above it.
    bands = [{"min_percent": 60, "points": 1}, {"min_percent": 30, "points": -2}]
    found = event_type_errors(
        default_with(quiz=default_rule("quiz", score_bands=bands, otherwise=...))
    )
    assert list(found["quiz"]) == ["otherwise"]
    assert found["quiz"]["otherwise"][0].startswith("Missing data for required field")
    DocumentSchema().load(default_with(quiz=default_rule("quiz", score_bands=bands, otherwise=-5)))


def test_otherwise_is_refused_beside_a_zero_band() -> None:
    bands = [{"min_percent": 50, "points": 3}, {"min_percent": 0, "points": 1}]
    found = event_type_errors(
        default_with(quiz=default_rule("quiz", score_bands=bands, otherwise=0))
    )
    assert found == {"quiz": {"otherwise": ["Never used: the 0% band matches every score."]}}


@pytest.mark.parametrize("otherwise", [0.5, "1", None, -MAX_POINTS - 1])
def test_otherwise_is_points(otherwise: Any) -> None:
    doc = default_with(quiz={**default_rule("quiz"), "otherwise": otherwise})
    assert list(event_type_errors(doc)["quiz"]) == ["otherwise"]


# Contradictions: one rule, one pricing method


def test_by_with_score_bands_is_refused() -> None:
    found = event_type_errors(default_with(quiz=default_rule("quiz", by="score")))
    assert found == {
        "quiz": {"by": ["Cannot be used with score_bands: a rule prices by one method."]}
    }


def test_points_with_score_bands_is_refused() -> None:
    found = event_type_errors(default_with(quiz=default_rule("quiz", points=5)))
    assert list(found["quiz"]) == ["points"] and "each band" in found["quiz"]["points"][0]


def test_otherwise_without_score_bands_is_refused() -> None:
    found = event_type_errors(default_with(extra={"category": "c", "points": 1, "otherwise": 0}))
    assert found == {"extra": {"otherwise": ["Only used with score_bands."]}}


def test_errors_in_several_rules_are_reported_together() -> None:
    doc = default_with(
        quiz=default_rule("quiz", category="Quiz"),
        attendance=default_rule("attendance", by="mood"),
        extra={"category": "c", "points": 1.5},
    )
    assert set(event_type_errors(doc)) == {"quiz", "attendance", "extra"}
