"""An uploaded table (CSV or XLSX) as rows of named values, each with its line number.

The importers name the columns they read (``Column``: a canonical name and the headers that
mean it, Chinese or English); the header row may name them in any order, with other columns
beside them (ignored, and reported). Values come back as stripped text, whatever the file held
(an XLSX number 1001 is "1001"), so an importer validates one kind of value.

CSV is decoded strictly: UTF-8 (with or without the byte-order mark Excel writes), else
GB18030, the superset of GBK that Chinese office software exports (an explicit encoding
overrides the guess); UTF-16 with its mark (Excel's "Unicode text") too. The delimiter is the
one of comma, tab and semicolon that the header line holds most of. XLSX is read by
``services.points.imports.xlsx``. Anything unreadable is a 422 naming the file, a missing
column a 422 naming it, a file or a table over the limits a 413.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from services.common.errors import PayloadTooLarge, Unprocessable
from services.points.imports import xlsx

GUESSES = ("utf-8-sig", "gb18030")
DELIMITERS = (",", "\t", ";")
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003
# Headers are matched without case, spaces, '_', '-', and a leading '*' (a "required" mark).
IGNORED_IN_HEADERS = str.maketrans("", "", " \u3000_-")


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int


@dataclass
class Table:
    rows: list[Row]
    columns: list[str]  # the canonical names the header row holds
    ignored: list[str] = field(default_factory=list)  # headers no column means


def file_error(message: str) -> Unprocessable:
    return Unprocessable(errors={"files": {"file": [message]}})


def query_error(name: str, message: str) -> Unprocessable:
    return Unprocessable(errors={"query": {name: [message]}})


def read_table(
    data: bytes,
    columns: Sequence[Column],
    limits: Limits,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
) -> Table:
    """The table a CSV or XLSX file holds (told apart by content, not by name)."""
    if len(data) > limits.max_bytes:
        raise PayloadTooLarge(f"The file is larger than the limit of {limits.max_bytes} bytes.")
    if not data.strip():
        raise file_error("The file is empty.")
    if data.startswith(OLE):
        raise file_error("Old .xls workbooks are not read: save the sheet as XLSX or CSV.")
    if data.startswith(ZIP):
        lines = xlsx.lines(data, sheet, unpacked_limit=limits.max_bytes * 50)
    else:
        if sheet is not None:
            raise query_error("sheet", "A CSV file has no sheets.")
        lines = csv_lines(decode(data, encoding))
    return tabulate(lines, columns, limits.max_rows)


def decode(data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):  # ValueError: a name with a NUL in it
            raise query_error("encoding", f"Unknown encoding {encoding!r}.") from None
        guesses: tuple[str, ...] = (encoding,)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guesses = ("utf-16",)
    else:
        guesses = GUESSES
    for name in guesses:
        try:
            return data.decode(name)
        except LookupError:  # a codec that is not a text encoding: rot13, base64, zlib
            raise query_error("encoding", f"{name!r} is not a text encoding.") from None
        except ValueError:  # UnicodeDecodeError, and the other UnicodeErrors some codecs raise
            continue
    tried = " nor ".join(guesses)
    raise file_error(f"The file is not text in {tried}; give its encoding (?encoding=...).")


def csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells); a quoted cell may span lines. The
    delimiter is the one of DELIMITERS the first non-blank line holds most of."""
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise file_error(f"Line {reader.line_num}: the CSV cannot be read ({exc}).") from None


def tabulate(
    lines: Iterable[tuple[int, list[str]]], columns: Sequence[Column], max_rows: int
) -> Table:
    """The first non-blank line is the header row; blank lines after it are skipped."""
    rows: list[Row] = []
    index: dict[str, int] | None = None
    table = Table(rows, [])
    for line, cells in lines:
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if index is None:
            index = header_index(cells, columns, table)
            continue
        if len(rows) == max_rows:
            raise PayloadTooLarge(f"The table has more than the limit of {max_rows} rows.")
        values = {name: cells[i] if i < len(cells) else "" for name, i in index.items()}
        rows.append(Row(line, values))
    if index is None:
        raise file_error("The file has no header row.")
    return table


def header_index(cells: list[str], columns: Sequence[Column], table: Table) -> dict[str, int]:
    """Canonical column name -> position; every required column must be there."""
    meaning = {_key(alias): column.name for column in columns for alias in column.aliases}
    index: dict[str, int] = {}
    for position, header in enumerate(cells):
        name = meaning.get(_key(header))
        if name is None:
            if header:
                table.ignored.append(header)
        elif name in index:
            raise file_error(f"Two columns mean {name!r}: {cells[index[name]]!r} and {header!r}.")
        else:
            index[name] = position
    missing = [column for column in columns if column.required and column.name not in index]
    if missing:
        raise file_error(
            "Missing column(s): "
            + "; ".join(f"{c.name} (one of: {', '.join(c.aliases)})" for c in missing)
            + "."
        )
    table.columns.extend(index)
    return index


def _key(header: str) -> str:
    return header.strip().lstrip("*").lower().translate(IGNORED_IN_HEADERS)
