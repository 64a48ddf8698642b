"""The organisation's calendar: local days, ISO weeks (Monday first), months, quarters, years.

Stored times are UTC; every period boundary (caps, streaks, period leaderboards) is taken in
the organisation's time zone (ORG_TIMEZONE, default Asia/Shanghai), never the server's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

PERIODS = ("all", "year", "quarter", "month", "week", "day")


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def utc(instant: datetime) -> datetime:
    """An aware instant in UTC; naive values are refused upstream by validation."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: an offset is required")
    return instant.astimezone(UTC)


def local_date(instant: datetime, zone_name: str) -> date:
    return instant.astimezone(zone(zone_name)).date()


def today(zone_name: str, now: datetime | None = None) -> date:
    return local_date(now or datetime.now(UTC), zone_name)


def period_key(period: str, day: date) -> str:
    """Name of the period of ``period`` kind that contains local ``day``: 'w2026-W48' etc."""
    if period == "all":
        return "all"
    if period == "year":
        return f"y{day.year}"
    if period == "quarter":
        return f"q{day.year}-Q{(day.month - 1) // 3 + 1}"
    if period == "month":
        return f"m{day.year}-{day.month:02d}"
    if period == "week":
        iso = day.isocalendar()
        return f"w{iso.year}-W{iso.week:02d}"
    if period == "day":
        return f"d{day.isoformat()}"
    raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def period_keys(day: date) -> dict[str, str]:
    return {period: period_key(period, day) for period in PERIODS}
