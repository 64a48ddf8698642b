"""The organisation's calendar: local days and ISO weeks, never the server's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.common.calendar import local_date, period_key, period_keys


def test_local_day_follows_the_organisation_zone() -> None:
    # 17:30 UTC on 31 Dec is already 1 Jan in Shanghai (UTC+8).
    instant = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert local_date(instant, "Asia/Shanghai") == date(2027, 1, 1)
    assert local_date(instant, "America/New_York") == date(2026, 12, 31)


def test_daylight_saving_day_boundaries() -> None:
    # New York is UTC-5 until 2am on 8 March 2026, then UTC-4: local midnight moves by an hour.
    zone = "America/New_York"
    assert local_date(datetime(2026, 3, 8, 4, 59, tzinfo=UTC), zone) == date(2026, 3, 7)
    assert local_date(datetime(2026, 3, 8, 5, 0, tzinfo=UTC), zone) == date(2026, 3, 8)
    assert local_date(datetime(2026, 3, 9, 3, 59, tzinfo=UTC), zone) == date(2026, 3, 8)
    assert local_date(datetime(2026, 3, 9, 4, 0, tzinfo=UTC), zone) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2020, 12, 31), "w2020-W53"),  # a 53-week year
        (date(2021, 1, 3), "w2020-W53"),  # still last year's week
        (date(2021, 1, 4), "w2021-W01"),
        (date(2025, 12, 29), "w2026-W01"),  # next year's week already
        (date(2026, 11, 26), "w2026-W48"),
    ],
)
def test_iso_weeks_monday_first(day: date, week: str) -> None:
    assert period_key("week", day) == week


def test_every_period_of_a_day() -> None:
    assert period_keys(date(2026, 11, 26)) == {
        "all": "all",
        "year": "y2026",
        "quarter": "q2026-Q4",
        "month": "m2026-11",
        "week": "w2026-W48",
        "day": "d2026-11-26",
    }


def test_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown period"):
        period_key("fortnight", date(2026, 1, 1))
