"""An export as a zip of CSV files, one per section: UTF-8 with a byte order mark, without
which Excel reads the Chinese as the system's legacy code page."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from services.points.exports.cells import for_csv
from services.points.exports.tables import Table


def write(tables: list[Table], path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, table in enumerate(tables, start=1):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([for_csv(h) for h in table.headings])
            writer.writerows([for_csv(v) for v in row] for row in table.rows)
            name = f"{number:02d}-{table.key}.csv"
            archive.writestr(name, "\ufeff" + text.getvalue())
