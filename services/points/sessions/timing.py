"""Times of sessions, as plain values: local times read in the organisation's zone, and the
dates of a weekly series. Nothing here touches the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from services.common.calendar import zone

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_SERIES = 200  # sessions one call may create: a weekly series of four years


def to_utc(instant: datetime, zone_name: str) -> datetime:
    """A time as sent: with an offset it is that instant; without one it is local time in the
    organisation's zone (DESIGN.md, fixed decision 5). Stored times are UTC."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=zone(zone_name))
    return instant.astimezone(UTC)


def weekly(
    weekday: str, at: time, first: date, until: date | None, count: int | None
) -> list[date]:
    """The dates of a weekly series: each ``weekday`` from ``first`` on, until ``until``
    (inclusive) or ``count`` times, whichever the caller gave; at most MAX_SERIES."""
    day = first + timedelta(days=(WEEKDAYS.index(weekday) - first.weekday()) % 7)
    dates: list[date] = []
    while len(dates) < (count or MAX_SERIES + 1) and (until is None or day <= until):
        dates.append(day)
        day += timedelta(weeks=1)
    return dates


def local_start(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant of ``at`` on ``day`` in the organisation's zone."""
    return datetime.combine(day, at, tzinfo=zone(zone_name)).astimezone(UTC)


def status_at(occurred: datetime, starts: datetime, grace_minutes: int) -> str:
    """A sign-in's status when the sender gives none: on time up to the start plus the grace,
    late after it."""
    return "on_time" if occurred <= starts + timedelta(minutes=grace_minutes) else "late"
