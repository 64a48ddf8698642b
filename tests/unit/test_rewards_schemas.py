"""The publish request: its own fields, and where document errors land inside it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from marshmallow import ValidationError

from services.rewards.schemas import RuleSetCreateSchema
from tests.rules_examples import DEFAULT, default_rule, default_with


def body(**changes: Any) -> dict[str, Any]:
    new: dict[str, Any] = {"name": "spring term", "document": default_with()}
    new.update(changes)
    return {key: value for key, value in new.items() if value is not ...}


def errors(payload: dict[str, Any]) -> Any:
    with pytest.raises(ValidationError) as caught:
        RuleSetCreateSchema().load(payload)
    return caught.value.messages


def test_a_minimal_request_loads() -> None:
    loaded = RuleSetCreateSchema().load(body())
    assert loaded == {"name": "spring term", "document": DEFAULT}


def test_effective_from_keeps_its_offset_and_name_is_trimmed() -> None:
    loaded = RuleSetCreateSchema().load(
        body(name="  term 2 ", effective_from="2030-03-01T08:00:00+08:00", notes=None)
    )
    assert loaded["name"] == "term 2"
    assert loaded["effective_from"] == datetime(2030, 3, 1, tzinfo=UTC)
    assert loaded["effective_from"].utcoffset() == timezone(timedelta(hours=8)).utcoffset(None)


@pytest.mark.parametrize("when", ["2030-03-01T00:00:00Z", "2030-03-01T08:00:00.5+08:00"])
def test_iso_8601_with_any_offset_is_accepted(when: str) -> None:
    RuleSetCreateSchema().load(body(effective_from=when))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ...}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"name": 5}, "name"),
        ({"document": ...}, "document"),
        ({"effective_from": "2030-03-01T00:00:00"}, "effective_from"),
        ({"effective_from": "next monday"}, "effective_from"),
        ({"effective_from": 1893456000}, "effective_from"),
        ({"notes": "n" * 2001}, "notes"),
        ({"version": 7}, "version"),
        ({"status": "draft"}, "status"),
    ],
)
def test_request_fields_are_checked(changes: dict[str, Any], field: str) -> None:
    assert list(errors(body(**changes))) == [field]


def test_document_errors_are_nested_under_document() -> None:
    bands = [{"min_percent": 100, "points": 10}, {"min_percent": 190, "points": 6}]
    found = errors(body(document=default_with(quiz=default_rule("quiz", score_bands=bands))))
    assert list(found["document"]["event_types"]["quiz"]["score_bands"][1]) == ["min_percent"]
