"""Periods of local days, as plain values: a period is (first day, last day), both included.

Weeks are ISO weeks (Monday first) and months calendar months, in the organisation's time
zone; the instants a period spans are taken there and stored times compared in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from services.common.calendar import zone

Period = tuple[date, date]


def days(period: Period) -> int:
    return (period[1] - period[0]).days + 1


def instants(period: Period, zone_name: str) -> tuple[datetime, datetime]:
    """[since, until) in UTC: from the first day's local midnight to the one after the last."""
    local = zone(zone_name)
    since = datetime.combine(period[0], time(), local).astimezone(UTC)
    until = datetime.combine(period[1] + timedelta(days=1), time(), local).astimezone(UTC)
    return since, until


def previous(period: Period) -> Period:
    """The period of equal length just before ``period``."""
    length = timedelta(days=days(period))
    return period[0] - length, period[1] - length


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def last_weeks(today: date, count: int, *, complete: bool) -> list[Period]:
    """The last ``count`` weeks, oldest first: up to this week (which ends today), or only the
    weeks already over."""
    monday = week_of(today)[0] - (timedelta(weeks=1) if complete else timedelta())
    weeks = [week_of(monday - timedelta(weeks=back)) for back in range(count)][::-1]
    if not complete:
        weeks[-1] = (weeks[-1][0], today)
    return weeks


def last_months(today: date, count: int) -> list[Period]:
    """The last ``count`` months, oldest first, the current one ending today."""
    months = [month_of(today)]
    while len(months) < count:
        months.append(month_of(months[-1][0] - timedelta(days=1)))
    months = months[::-1]
    months[-1] = (months[-1][0], today)
    return months
