"""The two charts of My progress, as ECharts options built from a member's ledger entries:
points per ISO week (Monday first, the organisation's days) stacked by category, and points
per day as a calendar heat map. Plain values in, plain values out: the page reads the entries
(gateway/pages/progress_reads.py) and a template puts the option in ``data-chart``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from services.words import LABELS

WEEKS = 12  # the weeks the bar chart shows, this one included
CALENDAR_DAYS = WEEKS * 7


def first_day(today: date) -> date:
    """The Monday that starts the chart's first week."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)


def weekly(entries: Iterable[dict[str, Any]], today: date) -> dict[str, Any]:
    """Points per week and category: {"weeks": [monday, ...], "series": {category: [points]}}."""
    start = first_day(today)
    mondays = [start + timedelta(weeks=n) for n in range(WEEKS)]
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * WEEKS)
    for entry in entries:
        day = date.fromisoformat(entry["local_date"])
        index = (day - start).days // 7
        if 0 <= index < WEEKS:
            sums[entry["category"]][index] += entry["points"]
    order = list(LABELS)
    ranked = sorted(sums, key=lambda c: (order.index(c) if c in order else len(order), c))
    return {"weeks": mondays, "series": {category: sums[category] for category in ranked}}


def weekly_option(buckets: dict[str, Any]) -> dict[str, Any]:
    labels = [format_date(monday, "M/d") for monday in buckets["weeks"]]
    series = [
        {
            "name": str(LABELS.get(category, category)),
            "type": "bar",
            "stack": "points",
            "emphasis": {"focus": "series"},
            "data": points,
        }
        for category, points in buckets["series"].items()
    ]
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 8, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "name": _("Week of")},
        "yAxis": {"type": "value", "name": _("Points")},
        "series": series,
    }


def daily(entries: Iterable[dict[str, Any]], today: date) -> dict[date, int]:
    """Points per day over the calendar's days (days with entries only)."""
    start = today - timedelta(days=CALENDAR_DAYS - 1)
    sums: dict[date, int] = defaultdict(int)
    for entry in entries:
        day = date.fromisoformat(entry["local_date"])
        if start <= day <= today:
            sums[day] += entry["points"]
    return dict(sums)


def calendar_option(days: dict[date, int], today: date) -> dict[str, Any]:
    start = today - timedelta(days=CALENDAR_DAYS - 1)
    values = [[day.isoformat(), points] for day, points in sorted(days.items())]
    top = max([points for points in days.values() if points > 0], default=1)
    return {
        "tooltip": {"position": "top"},
        "visualMap": {
            "min": 0,
            "max": top,
            "show": False,
            "inRange": {"color": ["#e8f4fd", "#0b5cad"]},
        },
        "calendar": {
            "range": [start.isoformat(), today.isoformat()],
            "cellSize": ["auto", 16],
            "left": 30,
            "right": 10,
            "top": 24,
            "itemStyle": {"borderColor": "#e3e6ea"},
            "splitLine": {"lineStyle": {"color": "#9aa3ad", "width": 1}},
            "dayLabel": {"firstDay": 1, "nameMap": _day_names()},
            "monthLabel": {"nameMap": _month_names()},
            "yearLabel": {"show": False},
        },
        "series": [{"type": "heatmap", "coordinateSystem": "calendar", "data": values}],
    }


def _day_names() -> list[str]:
    sunday = date(2026, 1, 4)
    return [format_date(sunday + timedelta(days=n), "EEEEE") for n in range(7)]


def _month_names() -> list[str]:
    return [format_date(date(2026, month, 1), "MMM") for month in range(1, 13)]
