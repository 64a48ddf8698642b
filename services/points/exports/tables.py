"""What a section gives and a writer writes: a titled table of plain values, and the scope
(unit and period) the sections are computed for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from services.common.calendar import zone
from services.points.exports.words import Say

Cell = str | int | float | None


@dataclass(frozen=True)
class Chart:
    """A bar chart of some columns of the table, one bar group per row."""

    title: str
    label_column: int
    value_columns: tuple[int, ...]


@dataclass
class Table:
    key: str  # names the CSV file: ascii, stable across languages
    title: str
    headings: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: Chart | None = None


@dataclass(frozen=True)
class Scope:
    unit_id: int
    unit_code: str
    unit_name: str
    unit_ids: frozenset[int]  # the unit and every unit below it
    starts_on: date  # local dates, both included
    ends_on: date
    timezone: str
    say: Say

    @property
    def since(self) -> datetime:
        """The period's first instant (the start of ``starts_on``, local time)."""
        return datetime.combine(self.starts_on, time(), zone(self.timezone))

    @property
    def until(self) -> datetime:
        """The instant after the period (the start of the day after ``ends_on``)."""
        return datetime.combine(self.ends_on + timedelta(days=1), time(), zone(self.timezone))

    def local(self, instant: datetime) -> str:
        return instant.astimezone(zone(self.timezone)).strftime("%Y-%m-%d %H:%M")


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent, to one place; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None
