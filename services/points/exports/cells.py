"""Formula injection: a spreadsheet reads a cell starting with =, +, - or @ (and, in some
programs, a tab or carriage return before one) as a formula, so a member named "=1+1" or
"@SUM(A1)" could run one on an inspector's machine. Such text is always written as text:
in XLSX as a string cell that Excel shows with its quote prefix, in CSV behind a leading
apostrophe, which spreadsheet programs read as "this is text" and do not show."""

from __future__ import annotations

from services.points.exports.tables import Cell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def for_csv(value: Cell) -> Cell:
    return f"'{value}" if risky(value) else value
