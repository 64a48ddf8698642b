"""Windows of local dates: stored periods, rolling and campaign windows, the period before."""

from __future__ import annotations

from datetime import date

from services.leaderboard.periods import bounds, decompose, previous, window


def test_iso_week_53_and_the_year_boundary() -> None:
    # 31 Dec 2026 is a Thursday of ISO week 53 of 2026; 1 Jan 2027 belongs to it too.
    assert window("week", date(2026, 12, 31)).period_key == "w2026-W53"
    assert window("week", date(2027, 1, 1)).period_key == "w2026-W53"
    assert bounds("week", date(2027, 1, 3)) == (date(2026, 12, 28), date(2027, 1, 3))
    assert previous(window("week", date(2027, 1, 4))).period_key == "w2026-W53"
    assert previous(window("year", date(2027, 1, 1))).period_key == "y2026"
    assert previous(window("quarter", date(2027, 1, 1))).period_key == "q2026-Q4"


def test_rolling_windows_sum_days_and_whole_months() -> None:
    last7 = window("last7", date(2027, 1, 2))
    assert (last7.start, last7.end) == (date(2026, 12, 27), date(2027, 1, 2))
    assert last7.parts[0] == "d2026-12-27" and len(last7.parts) == 7
    assert previous(last7).end == date(2026, 12, 26)
    campaign = window("range", date(2026, 1, 1), date(2026, 10, 30), date(2026, 12, 2))
    assert campaign.parts == (
        "d2026-10-30",
        "d2026-10-31",
        "m2026-11",
        "d2026-12-01",
        "d2026-12-02",
    )
    assert decompose(date(2026, 2, 1), date(2026, 2, 28)) == ("m2026-02",)


def test_the_all_time_window_compares_with_all_time_before_this_week() -> None:
    assert previous(window("all", date(2026, 11, 26))).period_key == "before-week"
