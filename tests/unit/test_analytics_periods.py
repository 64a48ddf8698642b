"""The figures' periods and arithmetic on plain values: weeks from Monday, months, the period
before, and the median the drifting units are held against."""

from __future__ import annotations

from collections import Counter
from datetime import date

from services.points.analytics import periods, rates


def test_weeks_run_monday_to_sunday_and_the_current_one_ends_today() -> None:
    thursday = date(2026, 12, 10)
    assert periods.week_of(thursday) == (date(2026, 12, 7), date(2026, 12, 13))
    assert periods.last_weeks(thursday, 2, complete=False) == [
        (date(2026, 11, 30), date(2026, 12, 6)),
        (date(2026, 12, 7), date(2026, 12, 10)),
    ]
    assert periods.last_weeks(thursday, 2, complete=True) == [
        (date(2026, 11, 23), date(2026, 11, 29)),
        (date(2026, 11, 30), date(2026, 12, 6)),
    ]


def test_months_across_a_year_and_the_period_before() -> None:
    assert periods.last_months(date(2026, 2, 10), 3) == [
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 10)),
    ]
    week = (date(2026, 12, 1), date(2026, 12, 7))
    assert periods.previous(week) == (date(2026, 11, 24), date(2026, 11, 30))
    assert periods.days(week) == 7


def test_a_period_s_instants_are_the_organisation_s_midnights_in_utc() -> None:
    since, until = periods.instants((date(2026, 12, 1), date(2026, 12, 1)), "Asia/Shanghai")
    assert (since.isoformat(), until.isoformat()) == (
        "2026-11-30T16:00:00+00:00",
        "2026-12-01T16:00:00+00:00",
    )


def test_figures_divide_by_members_and_days_and_say_none_for_nothing() -> None:
    shown = rates.figures(Counter(members=4, points=21, active=3, expected=0), 7)
    assert (shown["per_capita_daily"], shown["activity_rate"]) == (0.75, 0.75)
    assert shown["attendance_rate"] is None
    assert rates.figures(Counter(), 7)["per_capita_daily"] is None


def test_the_units_under_the_median() -> None:
    assert rates.below_median({"a": 0.5, "b": 0.0, "c": 0.5}) == (0.5, {"b"})
    assert rates.below_median({"a": 0.25, "b": 0.0, "c": 1.0, "d": None}) == (0.25, {"b"})
    assert rates.below_median({"a": None}) == (None, set())
