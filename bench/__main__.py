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

from bench import assembly, door, org, report, scenarios
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
    members, probes = prepare_org(b, scale)
    fig, rss_intake = intake_figures(b, scale, members, clients)
    fig["lag"] = lag_figure(b, scale, members, probes, fig)
    around = scenarios.around_path(b)
    memory: dict[str, Any] = {}
    reads, rss_reads = all_read_figures(b, scale, around, memory)
    fig["door"] = door.share(fig, reads[max(reads)])
    rebuilds = rebuild_figures(b, scale)
    memory["rss_mb_under_intake"] = rss_intake
    memory["rss_mb_under_reads"] = rss_reads
    results = assembly.assemble(fig, reads, rebuilds, memory, around)
    results.setdefault("notes", []).extend(door.notes(fig["door"]))
    return results


def prepare_org(b: Bench, scale: Scale) -> tuple[list[str], list[str]]:
    """The unit tree, the members intake posts for and the members the lag probes post for."""
    r = b.running
    org.create_units(r.platform, b.admin_key)
    org.insert_members(r.database_url, "I", scale.intake_members)
    org.insert_members(r.database_url, "P", 5_000)
    members = [org.staff_no("I", i) for i in range(scale.intake_members)]
    probes = [org.staff_no("P", i) for i in range(5_000)]
    log("organisation ready")
    return members, probes


def intake_figures(
    b: Bench, scale: Scale, members: list[str], clients: int
) -> tuple[dict[str, Any], dict[str, float]]:
    """The minimal Flask baseline and every intake figure; the memory seen under intake."""
    r, runs, fig = b.running, scale.runs, {}
    fig["flask"] = repeat(
        runs,
        "minimal flask",
        lambda: scenarios.http_reads(b, r.minimal_port, ["/ping"], ()),
        (r, "requests"),
    )
    direct = b.direct
    both, rss_intake = scenarios.sample_rss(r, lambda: door.intake(b, members, clients, runs, log))
    fig.update(both)
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
    return fig, rss_intake


def lag_figure(
    b: Bench, scale: Scale, members: list[str], probes: list[str], fig: dict[str, Any]
) -> dict[str, Any]:
    """Projection lag under half the single-event intake rate."""
    runs = scale.runs
    half = med(fig["single"]) / 2
    probe_sets = [probes[i::runs] for i in range(runs)]
    lag = fold([scenarios.projection_lag(b, members, probe_sets[i], half) for i in range(runs)])
    log(f"projection lag: {lag['p99_s']}")
    return lag


def all_read_figures(
    b: Bench, scale: Scale, around: str | None, memory: dict[str, Any]
) -> tuple[dict[int, dict[str, Any]], dict[str, float]]:
    """The read figures at every board size; the highest memory seen under reads."""
    reads: dict[int, dict[str, Any]] = {}
    rss_reads: dict[str, float] = {}
    for size in scale.read_sizes:
        reads[size], rss = read_figures(b, scale, size, around, memory)
        for k, v in rss.items():
            rss_reads[k] = max(rss_reads.get(k, 0.0), v)
    return reads, rss_reads


def rebuild_figures(b: Bench, scale: Scale) -> dict[int, dict[str, Any]]:
    """A rebuild from each ledger size, the ledger grown to each size in turn."""
    r, rebuilds, loaded = b.running, {}, 0
    ledger_members = org.insert_members(
        r.database_url, "L", 100_000 if scale.ledger_sizes[-1] >= 1_000_000 else 10_000
    )
    for size in scale.ledger_sizes:
        org.insert_ledger(r.database_url, ledger_members, size - loaded, seed=size)
        loaded = size
        log(f"ledger of {size:,} settled entries loaded")
        rebuilds[size] = repeat(
            1 if size >= 1_000_000 else scale.runs,
            f"rebuild {size:,}",
            lambda: scenarios.rebuild(b),
        )
    return rebuilds


def read_figures(
    b: Bench, scale: Scale, size: int, around: str | None, memory: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, float]]:
    """The read figures on a board of ``size`` members; the memory seen under gateway reads."""
    redis = b.redis()
    scope = f"unit:bench{size}"
    board = board_key(scope, "all", "total")
    sample = org.load_board(redis, board, f"R{size // 1000}k-", size)
    memory[f"redis_bytes_per_member_per_board_{size}"] = round(_bytes(redis, board) / size, 1)
    log(f"board of {size:,} members loaded")
    paths = read_paths(scope, sample, around)
    figs: dict[str, Any] = {}
    beside = size == max(scale.read_sizes)  # the limiter's cost, on the largest board
    _, rss = scenarios.sample_rss(
        b.running, lambda: figs.update(gateway_reads(b, scale.runs, size, paths, beside))
    )
    figs.update(direct_reads(b, scale.runs, size, paths, board, sample))
    if size >= 1_000_000:
        memory["redis_names_bytes_per_member"] = round(_bytes(redis, NAMES) / size, 1)
    redis.delete(board)
    return figs, rss


def read_paths(scope: str, sample: list[str], around: str | None) -> dict[str, list[str]]:
    """The top-100 page, the sampled members' standings and, if there is one, around-me."""
    paths = {
        "top": [f"/api/v1/leaderboard?scope={scope}&limit=100"],
        "standing": [f"/api/v1/members/{m}/standing?scope={scope}" for m in sample],
    }
    if around:
        before, after = around.split("{")[0], around.split("}")[1]
        paths["around"] = [before + m + after + f"?scope={scope}" for m in sample]
    return paths


def gateway_reads(
    b: Bench, runs: int, size: int, paths: dict[str, list[str]], beside: bool
) -> dict[str, Any]:
    """Reads through the gateway, with the CPU time each process spent on them; with
    ``beside``, the standing read also through the gateway with the limiter off, in turn."""
    r, gw, figs = b.running, b.auth(b.read_key), {}
    for name, label, key in (
        ("top100", "top-100", "top"),
        ("standing", "standing", "standing"),
        ("around", "around-me", "around"),
    ):
        if key == "standing" and beside:
            figs.update(door.standing(b, paths[key], runs, log))
        elif key in paths:
            figs[name] = repeat(
                runs,
                f"{label} {size}",
                lambda key=key: scenarios.http_reads(b, r.ports["gateway"], paths[key], gw),
                (r, "requests"),
            )
    return figs


def direct_reads(
    b: Bench, runs: int, size: int, paths: dict[str, list[str]], board: str, sample: list[str]
) -> dict[str, Any]:
    """The same reads straight from the leaderboard service, and Redis's own reads."""
    port, direct = b.running.ports["leaderboard"], b.direct
    return {
        "top100_direct": repeat(
            runs,
            f"top-100 direct {size}",
            lambda: scenarios.http_reads(b, port, paths["top"], direct),
        ),
        "standing_direct": repeat(
            runs,
            f"standing direct {size}",
            lambda: scenarios.http_reads(b, port, paths["standing"], direct),
        ),
        "top100_redis": repeat(
            runs,
            f"top-100 redis {size}",
            lambda: scenarios.redis_reads(b, "redis_page", board, sample),
        ),
        "standing_redis": repeat(
            runs,
            f"standing redis {size}",
            lambda: scenarios.redis_reads(b, "redis_standing", board, sample),
        ),
    }


def _bytes(redis: Redis, key: str) -> int:
    used = redis.memory_usage(key, samples=0)
    return int(cast(int, used) or 0)


def med(figure: dict[str, Any] | None, field: str = "per_s") -> float:
    return report.med(figure, field)


if __name__ == "__main__":
    sys.exit(main())
