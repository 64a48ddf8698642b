"""An export as an XLSX workbook: one sheet per section, the headings styled and frozen, the
columns as wide as their text, and a bar chart where a section asks for one."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.points.exports.cells import risky
from services.points.exports.tables import Table

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")
MAX_WIDTH = 60
NOT_IN_SHEET_TITLES = re.compile(r"[\[\]:*?/\\]")


def write(tables: list[Table], path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(NOT_IN_SHEET_TITLES.sub(" ", table.title)[:31])
        _fill(sheet, table)
        if table.chart and table.rows:
            _chart(sheet, table)
    book.save(path)


def _fill(sheet: Worksheet, table: Table) -> None:
    sheet.append(table.headings)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    # Rows are numbered here, not read back from the sheet: asking it for its last row or a
    # row's cells walks every cell so far, which made a large export quadratic.
    for number, row in enumerate(table.rows, start=2):
        sheet.append(row)
        for place, value in enumerate(row, start=1):
            if risky(value):
                # openpyxl took it for a formula: make it a string, shown as typed.
                cell = sheet.cell(row=number, column=place)
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(table.headings, start=1):
        column = [heading, *(row[index - 1] for row in table.rows)]
        width = max(_width(value) for value in column) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)


def _width(value: object) -> int:
    """Columns are measured in Latin characters; a Chinese one takes about two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _chart(sheet: Worksheet, table: Table) -> None:
    assert table.chart is not None
    chart = BarChart()
    chart.title = table.chart.title
    chart.height, chart.width = 8, max(16, 2 * len(table.rows))
    last = len(table.rows) + 1
    for column in table.chart.value_columns:
        values = Reference(sheet, min_col=column + 1, min_row=1, max_row=last)
        chart.add_data(values, titles_from_data=True)
    labels = Reference(sheet, min_col=table.chart.label_column + 1, min_row=2, max_row=last)
    chart.set_categories(labels)
    sheet.add_chart(chart, f"A{last + 3}")
