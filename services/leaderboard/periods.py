"""Periods a board can cover, as windows of local dates. Pure: no Redis here.

Stored periods (all, year, quarter, month, week, day) each have a board of their own. Rolling
windows (the last 7 or 30 days up to ``at``) and campaign windows (any ``from``..``to`` range)
are sums of stored boards: whole months inside the window, single days at its edges, so a
window costs at most ~60 source boards however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.common.calendar import PERIODS as STORED
from services.common.calendar import period_key

ROLLING = {"last7": 7, "last30": 30}
PERIODS = (*STORED, *ROLLING, "range")
# Day boards are kept this long after their day (rolling and campaign windows need them);
# week boards this long after their week, once archived. Longer periods are kept for good.
DAY_RETENTION = timedelta(days=400)
WEEK_RETENTION = timedelta(days=91)
MAX_RANGE = timedelta(days=DAY_RETENTION.days)


@dataclass(frozen=True)
class Window:
    period: str
    period_key: str
    start: date | None  # None: since the beginning (the all-time board)
    end: date | None  # inclusive
    parts: tuple[str, ...]  # stored period keys whose boards add up to this window

    @property
    def stored(self) -> bool:
        return self.period in STORED


def bounds(period: str, day: date) -> tuple[date, date]:
    """First and last local date of the stored period of kind ``period`` containing ``day``."""
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        start = day.replace(day=1)
        return start, _next_month(start) - timedelta(days=1)
    if period == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, _next_month(_next_month(_next_month(start))) - timedelta(days=1)
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"period {period!r} has no bounds")


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def decompose(start: date, end: date) -> tuple[str, ...]:
    """Stored period keys covering ``start``..``end`` exactly: whole months, else days."""
    parts: list[str] = []
    day = start
    while day <= end:
        month_start, month_end = bounds("month", day)
        if day == month_start and month_end <= end:
            parts.append(period_key("month", day))
            day = month_end + timedelta(days=1)
        else:
            parts.append(period_key("day", day))
            day += timedelta(days=1)
    return tuple(parts)


def window(period: str, day: date, start: date | None = None, end: date | None = None) -> Window:
    """The window a query names: ``day`` picks the stored or rolling period; ``range`` uses
    ``start``..``end``."""
    if period == "all":
        return Window("all", "all", None, None, ("all",))
    if period in STORED:
        first, last = bounds(period, day)
        return Window(period, period_key(period, day), first, last, (period_key(period, day),))
    if period in ROLLING:
        first = day - timedelta(days=ROLLING[period] - 1)
        key = f"{period}-{day.isoformat()}"
        return Window(period, key, first, day, decompose(first, day))
    if period == "range":
        if start is None or end is None or start > end:
            raise ValueError("a range needs from <= to")
        key = f"r{start.isoformat()}..{end.isoformat()}"
        return Window("range", key, start, end, decompose(start, end))
    raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")


def previous(current: Window, since: str = "week") -> Window:
    """The window a movement compares against: the period before, of the same length.

    For the all-time board it is all time *before* the current ``since`` period (the caller
    subtracts that period's board), named ``before-<key>``.
    """
    if current.period == "all":
        return Window("all", f"before-{since}", None, None, ("all",))
    assert current.start is not None and current.end is not None
    if current.stored:
        return window(current.period, current.start - timedelta(days=1))
    length = current.end - current.start
    end = current.start - timedelta(days=1)
    if current.period in ROLLING:
        return window(current.period, end)
    return window("range", end, end - length, end)


def closed(period: str, day: date, today: date) -> bool:
    """Whether the stored period containing ``day`` ended before ``today`` began."""
    return bounds(period, day)[1] < today


def day_kept(day: date, today: date) -> bool:
    """Whether the day board of ``day`` is still kept (see DAY_RETENTION)."""
    return today - day <= DAY_RETENTION
