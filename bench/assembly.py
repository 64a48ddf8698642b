"""The bench's results from its figures: the headline numbers, notes, and the table's rows."""

from __future__ import annotations

from typing import Any

from bench.report import med


def assemble(
    fig: dict[str, Any],
    reads: dict[int, dict[str, Any]],
    rebuilds: dict[int, dict[str, Any]],
    memory: dict[str, Any],
    around: str | None,
) -> dict[str, Any]:
    """Everything the report writes: the headline figures, notes and the table's rows."""
    results = headline(fig, reads, rebuilds, memory, around)
    if 10_000_000 not in rebuilds:
        results.setdefault("notes", []).append(
            "rebuild from 10M entries not run (BENCH_LEDGER=1000000,10000000 runs it; it does "
            "not fit the bench's time budget on this machine)"
        )
    results["rows"] = intake_rows(fig) + read_rows(reads) + rebuild_rows(rebuilds)
    return results


def headline(
    fig: dict[str, Any],
    reads: dict[int, dict[str, Any]],
    rebuilds: dict[int, dict[str, Any]],
    memory: dict[str, Any],
    around: str | None,
) -> dict[str, Any]:
    """The figures the report leads with (the largest board's reads, the largest rebuild),
    and every figure in full."""
    biggest = max(reads)
    big = reads[biggest]
    return {
        "intake_single_per_s": med(fig["single"]),
        "intake_batch_per_s": med(fig["batch1000"]),
        "intake_batch100_per_s": med(fig["batch100"]),
        "baseline_flask_per_s": med(fig["flask"]),
        "read_top100_per_s": med(big["top100"]),
        "read_standing_per_s": med(big["standing"]),
        "read_around_per_s": med(big.get("around")) if around else None,
        "read_standing_p99_ms_1m": med(reads[1_000_000]["standing"], "p99_ms")
        if 1_000_000 in reads
        else float("nan"),
        "projection_lag_p50_s": med(fig["lag"], "p50_s"),
        "projection_lag_p99_s": med(fig["lag"], "p99_s"),
        "rebuild_entries_per_s": med(rebuilds[max(rebuilds)]),
        "read_members": biggest,
        "around_me": around or "n/a: the platform has no around-me endpoint yet",
        "memory": memory,
        "figures": {
            "intake": fig,
            "reads": {str(k): v for k, v in reads.items()},
            "rebuild": {str(k): v for k, v in rebuilds.items()},
        },
    }


def intake_rows(fig: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's rows for the baseline, intake and projection lag."""
    return [
        {"name": "minimal Flask (baseline)", "figure": fig["flask"], "vs_flask": True},
        {
            "name": "intake single, gateway, until on boards",
            "figure": fig["single"],
            "vs_flask": True,
            "base": ("direct to points", med(fig["single_direct"])),
        },
        {
            "name": "intake single, gateway with the limiter off",
            "figure": fig.get("single_unlimited"),
            "vs_flask": True,
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


def read_rows(reads: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The table's rows for each board size: through the gateway, direct, Redis alone."""
    rows: list[dict[str, Any]] = []
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
        if "standing_unlimited" in f:
            rows.append(
                {
                    "name": f"standing at {label}, gateway with the limiter off",
                    "figure": f["standing_unlimited"],
                    "vs_flask": True,
                }
            )
        if "around" in f:
            rows.append(
                {"name": f"around-me at {label}, gateway", "figure": f["around"], "vs_flask": True}
            )
        else:
            rows.append({"name": f"around-me at {label}", "figure": None})
    return rows


def rebuild_rows(rebuilds: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The table's rows for each rebuild: its rate and its duration."""
    rows: list[dict[str, Any]] = []
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
    return rows


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"
