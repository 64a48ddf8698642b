"""python -m bench: what `make bench` runs. BENCH_SCALE=small checks the bench itself in a
couple of minutes; the default (full) measures reads at 10k, 100k and 1M members and a
rebuild from a ledger of 1M entries.

Settings (environment): BENCH_SCALE (small|full), BENCH_RUNS, BENCH_SECONDS, BENCH_CLIENTS,
BENCH_LEDGER (comma-separated ledger sizes, e.g. 1000000,10000000), DATABASE_URL.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Any, cast

from redis import Redis

from bench import org, report, scenarios
from bench.platform import Running, started
from bench.report import fold
from bench.scenarios import Bench
from services.leaderboard.keys import NAMES, board_key


@dataclass(frozen=True)
class Scale:
    read_sizes: tuple[int, ...]
    ledger_sizes: tuple[int, ...]
    intake_members: int
    seconds: float
    runs: int


SCALES = {
    "small": Scale((10_000,), (50_000,), 2_000, 3.0, 2),
    "full": Scale((10_000, 100_000, 1_000_000), (1_000_000,), 10_000, 8.0, 3),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def repeat(
    runs: int, name: str, measure: Any, cpu: tuple[Running, str] | None = None
) -> dict[str, Any]:
    """``runs`` runs of one figure, folded; with ``cpu`` (the platform and the runs' field
    to divide by), also the CPU time per request of every process (``scenarios.with_cpu``)."""

    def all_runs() -> dict[str, Any]:
        values = []
        for i in range(runs):
            values.append(measure())
            log(f"{name} run {i + 1}: {values[-1].get('per_s', values[-1])}")
        return fold(values)

    return scenarios.with_cpu(cpu[0], cpu[1], all_runs) if cpu else all_runs()


def main() -> int:
    name = os.environ.get("BENCH_SCALE", "full")
    base = SCALES[name]
    ledger = os.environ.get("BENCH_LEDGER")
    scale = Scale(
        base.read_sizes,
        tuple(int(x) for x in ledger.split(",")) if ledger else base.ledger_sizes,
        base.intake_members,
        float(os.environ.get("BENCH_SECONDS", base.seconds)),
        int(os.environ.get("BENCH_RUNS", base.runs)),
    )
    clients = int(os.environ.get("BENCH_CLIENTS", "16"))
    log(f"scale {name}: {scale}, {clients} clients")
    with started() as running:
        b = Bench(
            running,
            running.create_key("bench-admin", "admin"),
            running.create_key("bench-sender", "events"),
            running.create_key("bench-reader", "read"),
            clients,
            scale.seconds,
        )
        results = measure(b, scale, clients)
    results.update(scale=name, runs=scale.runs, seconds=scale.seconds, clients=clients)
    results["database"] = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    results["machine"] = report.machine()
    markdown = report.table(results)
    path = report.write(results, markdown)
    print(markdown)
    log(f"wrote {path}")
    return 0


def measure(b: Bench, scale: Scale, clients: int) -> dict[str, Any]:
    r, runs, fig = b.running, scale.runs, {}
    org.create_units(r.ports["gateway"], b.admin_key)
    org.insert_members(r.database_url, "I", scale.intake_members)
    org.insert_members(r.database_url, "P", 5_000)
    members = [org.staff_no("I", i) for i in range(scale.intake_members)]
    probes = [org.staff_no("P", i) for i in range(5_000)]
    log("organisation ready")

    fig["flask"] = repeat(
        runs,
        "minimal flask",
        lambda: scenarios.http_reads(b, r.minimal_port, ["/ping"], ()),
        (r, "requests"),
    )
    direct = b.direct
    fig["single"], rss_intake = scenarios.sample_rss(
        r,
        lambda: repeat(
            runs,
            "intake single",
            lambda: scenarios.intake(b, members, "s", 0, clients),
            (r, "events"),
        ),
    )
    fig["single_direct"] = repeat(
        runs,
        "intake single direct",
        lambda: scenarios.intake(
            b, members, "d", 0, clients, port=r.ports["points"], headers=direct
        ),
        (r, "events"),
    )
    fig["batch100"] = repeat(
        runs,
        "intake batch 100",
        lambda: scenarios.intake(b, members, "b100", 100, 4),
        (r, "events"),
    )
    fig["batch1000"] = repeat(
        runs,
        "intake batch 1000",
        lambda: scenarios.intake(b, members, "b1000", 1000, 2),
        (r, "events"),
    )
    half = med(fig["single"]) / 2
    probe_sets = [probes[i::runs] for i in range(runs)]
    fig["lag"] = fold(
        [scenarios.projection_lag(b, members, probe_sets[i], half) for i in range(runs)]
    )
    log(f"projection lag: {fig['lag']['p99_s']}")

    around = scenarios.around_path(b)
    memory: dict[str, Any] = {}
    reads: dict[int, dict[str, Any]] = {}
    rss_reads: dict[str, float] = {}
    for size in scale.read_sizes:
        reads[size], rss = read_figures(b, scale, size, around, memory)
        for k, v in rss.items():
            rss_reads[k] = max(rss_reads.get(k, 0.0), v)

    rebuilds = {}
    loaded = 0
    ledger_members = org.insert_members(
        r.database_url, "L", 100_000 if scale.ledger_sizes[-1] >= 1_000_000 else 10_000
    )
    for size in scale.ledger_sizes:
        org.insert_ledger(r.database_url, ledger_members, size - loaded, seed=size)
        loaded = size
        log(f"ledger of {size:,} settled entries loaded")
        rebuilds[size] = repeat(
            1 if size >= 1_000_000 else runs, f"rebuild {size:,}", lambda: scenarios.rebuild(b)
        )
    memory["rss_mb_under_intake"] = rss_intake
    memory["rss_mb_under_reads"] = rss_reads
    return assemble(fig, reads, rebuilds, memory, around, scale)


def read_figures(
    b: Bench, scale: Scale, size: int, around: str | None, memory: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, float]]:
    r, runs = b.running, scale.runs
    redis = b.redis()
    prefix = f"R{size // 1000}k-"
    scope = f"unit:bench{size}"
    board = board_key(scope, "all", "total")
    sample = org.load_board(redis, board, prefix, size)
    memory[f"redis_bytes_per_member_per_board_{size}"] = round(_bytes(redis, board) / size, 1)
    log(f"board of {size:,} members loaded")
    gw, direct = b.auth(b.read_key), b.direct
    top = [f"/api/v1/leaderboard?scope={scope}&limit=100"]
    standing = [f"/api/v1/members/{m}/standing?scope={scope}" for m in sample]
    figs: dict[str, Any] = {}

    def both() -> None:
        figs["top100"] = repeat(
            runs,
            f"top-100 {size}",
            lambda: scenarios.http_reads(b, r.ports["gateway"], top, gw),
            (r, "requests"),
        )
        figs["standing"] = repeat(
            runs,
            f"standing {size}",
            lambda: scenarios.http_reads(b, r.ports["gateway"], standing, gw),
            (r, "requests"),
        )
        if around:
            paths = [
                around.split("{")[0] + m + around.split("}")[1] + f"?scope={scope}" for m in sample
            ]
            figs["around"] = repeat(
                runs,
                f"around-me {size}",
                lambda: scenarios.http_reads(b, r.ports["gateway"], paths, gw),
                (r, "requests"),
            )

    _, rss = scenarios.sample_rss(r, both)
    figs["top100_direct"] = repeat(
        runs,
        f"top-100 direct {size}",
        lambda: scenarios.http_reads(b, r.ports["leaderboard"], top, direct),
    )
    figs["standing_direct"] = repeat(
        runs,
        f"standing direct {size}",
        lambda: scenarios.http_reads(b, r.ports["leaderboard"], standing, direct),
    )
    figs["top100_redis"] = repeat(
        runs, f"top-100 redis {size}", lambda: scenarios.redis_reads(b, "redis_page", board, sample)
    )
    figs["standing_redis"] = repeat(
        runs,
        f"standing redis {size}",
        lambda: scenarios.redis_reads(b, "redis_standing", board, sample),
    )
    if size >= 1_000_000:
        memory["redis_names_bytes_per_member"] = round(_bytes(redis, NAMES) / size, 1)
    redis.delete(board)
    return figs, rss


def _bytes(redis: Redis, key: str) -> int:
    used = redis.memory_usage(key, samples=0)
    return int(cast(int, used) or 0)


def med(figure: dict[str, Any] | None, field: str = "per_s") -> float:
    return report.med(figure, field)


def assemble(
    fig: dict[str, Any],
    reads: dict[int, dict[str, Any]],
    rebuilds: dict[int, dict[str, Any]],
    memory: dict[str, Any],
    around: str | None,
    scale: Scale,
) -> dict[str, Any]:
    flask = med(fig["flask"])
    biggest = max(reads)
    big = reads[biggest]
    largest_rebuild = rebuilds[max(rebuilds)]
    results: dict[str, Any] = {
        "intake_single_per_s": med(fig["single"]),
        "intake_batch_per_s": med(fig["batch1000"]),
        "intake_batch100_per_s": med(fig["batch100"]),
        "baseline_flask_per_s": flask,
        "read_top100_per_s": med(big["top100"]),
        "read_standing_per_s": med(big["standing"]),
        "read_around_per_s": med(big.get("around")) if around else None,
        "read_standing_p99_ms_1m": med(reads[1_000_000]["standing"], "p99_ms")
        if 1_000_000 in reads
        else float("nan"),
        "projection_lag_p50_s": med(fig["lag"], "p50_s"),
        "projection_lag_p99_s": med(fig["lag"], "p99_s"),
        "rebuild_entries_per_s": med(largest_rebuild),
        "read_members": biggest,
        "around_me": around or "n/a: the platform has no around-me endpoint yet",
        "memory": memory,
        "figures": {
            "intake": fig,
            "reads": {str(k): v for k, v in reads.items()},
            "rebuild": {str(k): v for k, v in rebuilds.items()},
        },
    }
    if 10_000_000 not in rebuilds:
        results.setdefault("notes", []).append(
            "rebuild from 10M entries not run (BENCH_LEDGER=1000000,10000000 runs it; it does "
            "not fit the bench's time budget on this machine)"
        )
    rows: list[dict[str, Any]] = [
        {"name": "minimal Flask (baseline)", "figure": fig["flask"], "vs_flask": True},
        {
            "name": "intake single, gateway, until on boards",
            "figure": fig["single"],
            "vs_flask": True,
            "base": ("direct to points", med(fig["single_direct"])),
        },
        {
            "name": "intake single, direct to points",
            "figure": fig["single_direct"],
            "vs_flask": True,
        },
        {"name": "intake batches of 100 (events/s)", "figure": fig["batch100"], "unit": "ev/s"},
        {"name": "intake batches of 1,000 (events/s)", "figure": fig["batch1000"], "unit": "ev/s"},
        {
            "name": f"projection lag p50 at {fig['lag']['target_rate_per_s']['median']:.0f} ev/s",
            "figure": fig["lag"],
            "field": "p50_s",
            "unit": "s",
        },
        {"name": "projection lag p99", "figure": fig["lag"], "field": "p99_s", "unit": "s"},
    ]
    for size, f in reads.items():
        label = _size(size)
        for key, what in (("top100", "top-100"), ("standing", "standing")):
            rows += [
                {
                    "name": f"{what} at {label}, gateway",
                    "figure": f[key],
                    "vs_flask": True,
                    "base": ("direct", med(f[f"{key}_direct"])),
                },
                {
                    "name": f"{what} at {label}, direct to service",
                    "figure": f[f"{key}_direct"],
                    "vs_flask": True,
                    "base": ("Redis direct", med(f[f"{key}_redis"])),
                },
                {"name": f"{what} at {label}, Redis direct", "figure": f[f"{key}_redis"]},
            ]
        if "around" in f:
            rows.append(
                {"name": f"around-me at {label}, gateway", "figure": f["around"], "vs_flask": True}
            )
        else:
            rows.append({"name": f"around-me at {label}", "figure": None})
    for size, f in rebuilds.items():
        rows.append(
            {
                "name": f"rebuild from {_size(size)} entries (entries/s)",
                "figure": f,
                "unit": "entries/s",
            }
        )
        rows.append(
            {
                "name": f"rebuild from {_size(size)} entries (seconds)",
                "figure": f,
                "field": "seconds",
                "unit": "s",
            }
        )
    results["rows"] = rows
    return results


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


if __name__ == "__main__":
    sys.exit(main())
