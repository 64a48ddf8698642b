"""The rows of one sheet of an XLSX workbook, as text cells with their row numbers.

openpyxl in read-only mode streams the sheet instead of building it whole in memory. Before it
opens anything, the sizes the archive declares are summed: a small file that unpacks into a
huge one (sheets and shared strings are unpacked to be read) is refused, since the zip reader
never unpacks more of a member than its declared size.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import openpyxl

from services.common.errors import PayloadTooLarge, Unprocessable


def _unreadable(message: str) -> Unprocessable:
    return Unprocessable(errors={"files": {"file": [message]}})


def lines(
    data: bytes, sheet: str | None, *, unpacked_limit: int
) -> Iterator[tuple[int, list[str]]]:
    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except zipfile.BadZipFile:
        raise _unreadable("The file is neither CSV text nor a readable XLSX workbook.") from None
    if unpacked > unpacked_limit:
        raise PayloadTooLarge(f"The workbook unpacks to more than {unpacked_limit} bytes.")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl has no one error for a broken workbook
        raise _unreadable("The file is not a readable XLSX workbook.") from None
    return _rows(book, sheet)


def _rows(book: Any, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    try:
        if sheet is None:
            found = book.worksheets[0]
        elif sheet in book.sheetnames:
            found = book[sheet]
        else:
            names = ", ".join(book.sheetnames)
            raise Unprocessable(errors={"query": {"sheet": [f"No sheet {sheet!r}; has: {names}."]}})
        # Some writers record a wrong sheet size; read-only mode would trust it and stop early.
        found.reset_dimensions()
        for number, row in enumerate(found.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [text_of(value) for value in row]
    except Unprocessable:
        raise
    except Exception:  # noqa: BLE001 - a sheet broken part-way through
        raise _unreadable("The workbook's sheet cannot be read.") from None
    finally:
        book.close()


def text_of(value: Any) -> str:
    """A cell as the text a person sees: 1001 not 1001.0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
