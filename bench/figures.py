"""python -m bench.figures: the figures API's reads (funnel, unit comparison, trend) and the
whole-organisation XLSX export over a quarter, on SQLite and on PostgreSQL, for a generated
organisation (bench/figures_fill.py). Prints p50/p95 wall and CPU time per figure and database
and writes bench/results/figures-<scale>.{json,md}.

Settings (environment): BENCH_SCALE (small|mid|full), BENCH_RUNS (timed runs per figure),
TEST_DATABASE_URL (the PostgreSQL server; without it only SQLite is measured).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from bench.figures_activity import fill_activity
from bench.figures_fill import QUARTER, Shape, fill
from bench.load import percentile
from bench.report import RESULTS
from deploy.local import private_postgres_schema
from services.common.db import Database
from services.common.migrations import upgrade
from services.points import org
from services.points.analytics import reads
from services.points.analytics.periods import month_of
from services.points.exports import sections, xlsx
from services.points.exports.tables import Scope
from services.points.exports.words import language

SCALES = {
    "small": Shape(2_000, 100_000),
    "mid": Shape(20_000, 1_000_000),
    "full": Shape(100_000, 10_000_000),
}
ZONE = "Asia/Shanghai"
NOW = datetime(2026, 10, 8, tzinfo=UTC)


def log(message: str) -> None:
    print(f"[figures {time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed(runs: int, work: Callable[[], Any]) -> dict[str, float]:
    """p50/p95 of wall and CPU seconds over ``runs`` runs, after one warm-up run."""
    work()
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        work()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return {
        "p50_s": round(percentile(wall, 50), 3),
        "p95_s": round(percentile(wall, 95), 3),
        "cpu_p50_s": round(percentile(cpu, 50), 3),
    }


def export_xlsx(db: Database, out: Path) -> None:
    with db.read() as session:
        tree = org.unit_codes(session)
        scope = Scope(
            unit_id=1,
            unit_code="org",
            unit_name="Organisation",
            unit_ids=frozenset(org.below(tree, [1])),
            starts_on=QUARTER[0],
            ends_on=QUARTER[1],
            timezone=ZONE,
            say=language("zh_CN"),
        )
        tables = [build(session, scope) for build in sections.SECTIONS]
    xlsx.write(tables, out)


def figures(db: Database, runs: int, out: Path) -> dict[str, dict[str, float]]:
    months = [month_of(QUARTER[0]), month_of(date_in(1)), month_of(QUARTER[1])]

    def read(work: Callable[[Any], Any]) -> Callable[[], Any]:
        def once() -> Any:
            with db.read() as session:
                return work(session)

        return once

    compare = read(
        lambda s: reads.compare(s, (1, None), QUARTER, ZONE, sort="per_capita_daily", now=NOW)
    )
    works = {
        "funnel": (runs, read(lambda s: reads.funnel(s, None, QUARTER, ZONE, NOW))),
        "compare": (runs, compare),
        "trend": (runs, read(lambda s: reads.trend(s, None, months, ZONE, NOW))),
        "export_xlsx": (max(1, runs // 5), lambda: export_xlsx(db, out)),
    }
    found = {}
    with Flask(__name__).test_request_context():  # no roles header: a system's key
        for name, (times, work) in works.items():
            found[name] = timed(times, work)
            log(f"{name}: {found[name]}")
    return found


def date_in(month_offset: int) -> Any:
    return QUARTER[0].replace(month=QUARTER[0].month + month_offset)


def measure(url: str, shape: Shape, runs: int) -> dict[str, Any]:
    upgrade("services.points", url)
    db = Database(url)
    try:
        started = time.perf_counter()
        fill(db.engine, shape)
        fill_activity(db.engine, shape)
        filled = round(time.perf_counter() - started, 1)
        log(f"filled in {filled} s")
        with tempfile.TemporaryDirectory() as folder:
            found = figures(db, runs, Path(folder) / "org.xlsx")
    finally:
        db.dispose()
    return {"fill_s": filled, **found}


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "small")
    shape, runs = SCALES[scale], int(os.environ.get("BENCH_RUNS", "20"))
    load = os.getloadavg()
    result: dict[str, Any] = {"scale": scale, "shape": shape.__dict__, "load_before": load}
    with tempfile.TemporaryDirectory() as folder:
        log(f"sqlite, {shape}")
        result["sqlite"] = measure(f"sqlite:///{folder}/figures.db", shape, runs)
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        with private_postgres_schema(pg, "bench") as url:
            log(f"postgresql, {shape}")
            result["postgresql"] = measure(url, shape, runs)
    result["load_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"figures-{scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / f"figures-{scale}.md").write_text(table(result))
    print(table(result))
    return 0


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Figures bench, scale {result['scale']}: {result['shape']}",
        f"load average before {result['load_before']}, after {result['load_after']}",
        "",
        "| database | figure | p50 s | p95 s | CPU p50 s |",
        "|---|---|---|---|---|",
    ]
    for kind in ("sqlite", "postgresql"):
        for name, f in result.get(kind, {}).items():
            if isinstance(f, dict):
                lines.append(
                    f"| {kind} | {name} | {f['p50_s']} | {f['p95_s']} | {f['cpu_p50_s']} |"
                )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
