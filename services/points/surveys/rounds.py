"""A round's life in plain values: its state, and where the next one of a repeating survey
falls. The next round keeps the interval between the planned windows (a round closed early
does not pull the next one forward), and moves by calendar months in the organisation's
zone, so that "each quarter" from 1 January 09:00 is 1 April 09:00 local time."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

from services.common.calendar import zone

REPEATS = ("month", "quarter", "half-year", "year")
MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


def state(
    opens_at: datetime, closes_at: datetime, closed_at: datetime | None, now: datetime
) -> str:
    if closed_at is not None or closes_at <= now:
        return "closed"
    return "open" if opens_at <= now else "upcoming"


def later(instant: datetime, repeat: str, zone_name: str) -> datetime:
    """The same local time ``repeat`` later (the day kept, or the month's last)."""
    local = instant.astimezone(zone(zone_name))
    months = local.month - 1 + MONTHS[repeat]
    year, month = local.year + months // 12, months % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(UTC)
