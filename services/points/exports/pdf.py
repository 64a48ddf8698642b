"""An export as a PDF: a cover with the unit and the period, then each section's table, and the
sections' charts drawn as inline SVG. HTML and CSS made into pages by WeasyPrint, in the
machine's Chinese font (fonts-wqy-microhei)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from services.points.exports.tables import Table

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


@dataclass(frozen=True)
class Cover:
    title: str
    unit: str
    period: str
    made: str  # "made on ..." in the export's language


def write(tables: list[Table], cover: Cover, path: Path) -> None:
    charts = {t.key: _bars(t) for t in tables if t.chart and t.rows}
    html = TEMPLATES.get_template("report.html").render(cover=cover, tables=tables, charts=charts)
    HTML(string=html).write_pdf(path)


def _bars(table: Table) -> dict[str, Any]:
    """The geometry of a grouped bar chart (one group per row), for the template's SVG."""
    assert table.chart is not None
    chart = table.chart
    values = [[_number(row[c]) for c in chart.value_columns] for row in table.rows]
    top = max((v for group in values for v in group), default=0) or 1
    height, bar, gap = 160, 16, 40  # a group plus its gap holds a label of 8 characters
    groups = []
    for index, (row, group) in enumerate(zip(table.rows, values, strict=True)):
        x = 40 + index * (bar * len(group) + gap)
        bars = [
            {"x": x + i * bar, "h": round(height * v / top, 1), "value": v, "series": i}
            for i, v in enumerate(group)
        ]
        groups.append({"label": str(row[chart.label_column] or ""), "x": x, "bars": bars})
    width = 40 + len(values) * (bar * len(chart.value_columns) + gap)
    legend = [table.headings[c] for c in chart.value_columns]
    return {"title": chart.title, "height": height, "width": width, "bar": bar,
            "groups": groups, "legend": legend}  # fmt: skip


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
