"""The bench's report: repeated runs folded into median and p99, ratios to the baselines,
a Markdown table and ``bench/results/latest.json``."""

from __future__ import annotations

import json
import math
import platform
import statistics
from pathlib import Path
from typing import Any

from bench.load import percentile

RESULTS = Path(__file__).resolve().parent / "results"


def fold(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs of one figure as {"median": .., "p99": .., "runs": [...]} per numeric field."""
    folded: dict[str, Any] = {"runs": runs}
    for field in runs[0]:
        values = [r[field] for r in runs if isinstance(r.get(field), int | float)]
        values = [v for v in values if not math.isnan(v)]
        if values and not isinstance(runs[0][field], bool):
            folded[field] = {
                "median": round(statistics.median(values), 3),
                "p99": round(percentile(values, 99), 3),
            }
    return folded


def med(figure: dict[str, Any] | None, field: str = "per_s") -> float:
    if not figure or field not in figure:
        return float("nan")
    return float(figure[field]["median"])


def ratio(value: float, base: float) -> str:
    if math.isnan(value) or math.isnan(base) or not base:
        return "n/a"
    return f"{100 * value / base:.0f}%"


def _row(row: dict[str, Any], flask: float) -> str:
    """One line of the main table: the median, the worst run, latency and the baselines."""
    fig = row["figure"]
    unit = row.get("unit", "/s")
    field = row.get("field", "per_s")
    value = med(fig, field)
    worst = fig.get(field, {}).get("p99", float("nan")) if fig else float("nan")
    latency = ""
    if fig and "p50_ms" in fig:
        latency = f"{fig['p50_ms']['median']:.1f} / {fig['p99_ms']['median']:.1f} ms"
    vs_flask = ratio(value, flask) if row.get("vs_flask") else ""
    other = ""
    if row.get("base"):
        label, base = row["base"]
        other = f"{ratio(value, base)} of {label}"
    digits = 3 if unit == "s" else 1
    shown = "n/a" if math.isnan(value) else f"{value:,.{digits}f} {unit}".strip()
    worst_text = "" if math.isnan(worst) else f"{worst:,.{digits}f}"
    return f"| {row['name']} | {shown} | {worst_text} | {latency} | {vs_flask} | {other} |"


def table(results: dict[str, Any]) -> str:
    flask = results["baseline_flask_per_s"]
    lines = [
        f"Scale `{results['scale']}`, {results['runs']} runs of {results['seconds']} s each, "
        f"{results['clients']} clients, database {results['database']}, "
        f"machine: {results['machine']}.",
        "",
        "| figure | median | p99 over runs | p50 / p99 latency | vs minimal Flask "
        "| other baseline |",
        "| --- | ---: | ---: | --- | ---: | --- |",
    ]
    lines += [_row(row, flask) for row in results["rows"]]
    cpu_rows = [r for r in results["rows"] if r["figure"] and r["figure"].get("cpu_us")]
    if cpu_rows:
        lines += [
            "",
            "CPU time per request (per event for intake), in microseconds, by process, summed",
            "over the runs (less moved by other work on the machine than the rates are):",
            "",
            "| figure | total | by process |",
            "| --- | ---: | --- |",
        ]
        for row in cpu_rows:
            used = row["figure"]["cpu_us"]
            parts = ", ".join(f"{name} {us:,}" for name, us in used.items())
            lines.append(f"| {row['name']} | {sum(used.values()):,} | {parts} |")
    lines += ["", "Memory:", ""]
    for name, value in results["memory"].items():
        lines.append(f"- {name}: {value}")
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


def machine() -> str:
    cores = len(open("/proc/cpuinfo").read().split("processor\t")) - 1
    return f"{cores}-core shared, {platform.python_implementation()} {platform.python_version()}"


def write(results: dict[str, Any], markdown: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    clean = {k: v for k, v in results.items() if k != "rows"}
    (RESULTS / "latest.json").write_text(json.dumps(clean, indent=2, default=str) + "\n")
    (RESULTS / "latest.md").write_text(markdown)
    return RESULTS / "latest.json"
