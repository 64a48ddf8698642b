"""Event validation names each bad field and refuses what cannot be priced safely."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from services.points.intake.record import check_shapes

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def event(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "e1",
        "type": "quiz",
        "member": "S001",
        "occurred_at": "2026-11-26T10:00:00+08:00",
        "data": {"quiz": "q1", "score": 92, "max_score": 100},
    }
    base.update(changes)
    return base


def errors_of(raw: Any) -> Any:
    good, errors = check_shapes([raw], NOW)
    return errors.get(0)


def test_a_good_event_passes_and_is_stored_in_utc() -> None:
    good, errors = check_shapes([event()], NOW)
    assert errors == {}
    assert good[0][1]["occurred_at"] == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (event(id=""), {"id"}),
        (event(occurred_at="2026-11-26T10:00:00"), {"occurred_at"}),  # no offset
        (event(occurred_at="2026-11-27T12:00:00+00:00"), {"occurred_at"}),  # future
        (event(occurred_at="1999-12-31T00:00:00+00:00"), {"occurred_at"}),
        (event(type="Quiz!"), {"type"}),
        (event(extra=1), {"extra"}),
        (event(data={"quiz": "q", "score": 120, "max_score": 100}), {"data"}),
        (event(data={"quiz": "q", "score": -1, "max_score": 100}), {"data"}),
        (event(data={"quiz": "q", "score": "NaN", "max_score": 100}), {"data"}),
        (event(data={"quiz": "q", "score": 1e400, "max_score": 100}), {"data"}),
        (event(type="attendance", data={"status": "asleep", "session": "s"}), {"data"}),
        (event(type="attendance", data={"status": "late"}), {"data"}),
        ("not an object", {"_schema"}),
    ],
)
def test_bad_events_name_the_field(raw: Any, expected: set[str]) -> None:
    assert set(errors_of(raw)) == expected


def test_nested_data_errors_name_the_inner_field() -> None:
    errors = errors_of(event(type="attendance", data={"status": "asleep", "session": "s"}))
    assert "status" in errors["data"]


def test_custom_types_take_small_finite_data_only() -> None:
    assert errors_of(event(type="lecture_given", data={"topic": "law", "hours": 2})) is None
    deep: dict[str, Any] = {}
    cursor = deep
    for _ in range(10):
        cursor["x"] = {}
        cursor = cursor["x"]
    assert set(errors_of(event(type="lecture_given", data=deep))) == {"data"}
