"""What the front door costs, side by side in one run: the request rate limiter and the signed
internal hop, each set against the CPU time of a single-event intake and of a standing read.

The limiter's cost is measured, not estimated: the bench starts a second gateway beside the
platform's, the same command with ``RATE_LIMIT_ENABLED=false`` (bench/platform.py), and runs
the two figures through both gateways in alternation, one run of each in turn, so that a busy
neighbour on the machine weighs on both alike. Each run has the CPU time every process spent
on it; the limiter costs the difference. The signed hop is timed with the platform's own
signing and checking code (bench/signed_hop.py): it cannot be switched off, since the
services refuse unsigned requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench import scenarios, signed_hop
from bench.platform import Running
from bench.report import fold
from bench.scenarios import Bench

# The figures, as shipped and with the limiter off, under these names in the run's figures.
SINGLE, SINGLE_OFF = "single", "single_unlimited"
STANDING, STANDING_OFF = "standing", "standing_unlimited"


def side_by_side(
    running: Running,
    count: str,
    runs: int,
    log: Callable[[str], None],
    measures: dict[str, Callable[[], dict[str, Any]]],
) -> dict[str, dict[str, Any]]:
    """``runs`` runs of every measure, one of each in turn; each figure folded, with the CPU
    time every process spent on its own runs per request (``count`` names the runs' field to
    divide by: requests or events), in microseconds, as ``scenarios.with_cpu`` gives it."""
    values: dict[str, list[dict[str, Any]]] = {name: [] for name in measures}
    spent: dict[str, dict[str, float]] = {name: {} for name in measures}
    for i in range(runs):
        for name, measure in measures.items():
            before = running.cpu_seconds()
            values[name].append(measure())
            after = running.cpu_seconds()
            for process, seconds in after.items():
                used = seconds - before.get(process, 0.0)
                spent[name][process] = spent[name].get(process, 0.0) + used
            log(f"{name} run {i + 1}: {values[name][-1].get('per_s')}")
    figures = {}
    for name, runs_of in values.items():
        figure = fold(runs_of)
        done = sum(run[count] for run in runs_of) or 1
        figure["cpu_us"] = {
            process: round(1e6 * s / done) for process, s in sorted(spent[name].items()) if s > 0
        }
        figures[name] = figure
    return figures


def intake(
    b: Bench, members: list[str], clients: int, runs: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Single events through the gateway as shipped and through the one with the limiter off."""
    port = b.running.unlimited_port
    return side_by_side(
        b.running,
        "events",
        runs,
        log,
        {
            SINGLE: lambda: scenarios.intake(b, members, "s", 0, clients),
            SINGLE_OFF: lambda: scenarios.intake(b, members, "u", 0, clients, port=port),
        },
    )


def standing(
    b: Bench, paths: list[str], runs: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Standing reads through the gateway as shipped and through the one with the limiter off."""
    r, headers = b.running, b.auth(b.read_key)
    return side_by_side(
        r,
        "requests",
        runs,
        log,
        {
            STANDING: lambda: scenarios.http_reads(b, r.ports["gateway"], paths, headers),
            STANDING_OFF: lambda: scenarios.http_reads(b, r.unlimited_port, paths, headers),
        },
    )


def cpu_us(figure: dict[str, Any] | None) -> int:
    """Every process's CPU time per request of a figure, summed."""
    return int(sum((figure or {}).get("cpu_us", {}).values()))


def share(fig: dict[str, Any], standing: dict[str, Any]) -> dict[str, Any]:
    """The limiter's and the hop's cost per request, and their shares of single-event intake
    and of standing reads as shipped (``standing``: the largest board's read figures)."""
    out = signed_hop.share(fig[SINGLE], standing.get(STANDING))
    for name, shipped, off in (
        ("intake_single", fig[SINGLE], fig.get(SINGLE_OFF)),
        ("standing", standing.get(STANDING), standing.get(STANDING_OFF)),
    ):
        on_us, off_us = cpu_us(shipped), cpu_us(off)
        out[f"{name}_unlimited_cpu_us"] = off_us
        if on_us and off_us:
            out[f"{name}_limiter_us"] = on_us - off_us
            out[f"{name}_limiter_pct"] = round(100 * (on_us - off_us) / on_us, 1)
    return out


def notes(figure: dict[str, Any]) -> list[str]:
    lines = [signed_hop.note(figure)]
    if "standing_limiter_pct" in figure and "intake_single_limiter_pct" in figure:
        lines.append(
            f"rate limiter (gateway beside it with the limiter off, runs alternating): "
            f"{figure['intake_single_limiter_us']} us of CPU per event, "
            f"{figure['intake_single_limiter_pct']}% of single-event intake's "
            f"({figure['intake_single_cpu_us']} us with it, "
            f"{figure['intake_single_unlimited_cpu_us']} without), and "
            f"{figure['standing_limiter_us']} us per read, {figure['standing_limiter_pct']}% of "
            f"a standing read's ({figure['standing_cpu_us']} us with it, "
            f"{figure['standing_unlimited_cpu_us']} without)"
        )
    return lines
