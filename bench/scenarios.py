"""Each measurement of the bench: one function per figure, returning plain numbers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from bench import load
from bench.platform import Running
from services.common.db import make_engine
from services.leaderboard.keys import board_key
from services.points.models import ProjectionOutbox

DRAIN_TIMEOUT = 600.0


@dataclass
class Bench:
    running: Running
    admin_key: str
    events_key: str
    read_key: str
    clients: int
    seconds: float

    def auth(self, key: str) -> tuple[tuple[str, str], ...]:
        return (("Authorization", f"Bearer {key}"), ("Content-Type", "application/json"))

    @property
    def direct(self) -> tuple[tuple[str, str], ...]:
        # What the gateway would add (the bench signs them as it does: secret_for).
        return (
            ("X-Sender", "bench-direct"),
            ("X-Scopes", "admin"),
            ("Content-Type", "application/json"),
        )

    def redis(self) -> Redis:
        return Redis.from_url(self.running.redis_url)

    def secret_for(self, port: int) -> str:
        """The internal secret when ``port`` is a service's behind the gateway: straight to
        a service, the bench signs as the gateway does, or the service refuses it."""
        return self.running.internal_secret if port in self.running.service_ports else ""


def summary(result: load.Result, per_s: float | None = None) -> dict[str, Any]:
    errors = sum(n for status, n in result.statuses.items() if status >= 500)
    return {
        "per_s": round(per_s if per_s is not None else result.per_s, 1),
        "p50_ms": round(result.percentile(50) * 1000, 2),
        "p99_ms": round(result.percentile(99) * 1000, 2),
        "requests": result.requests,
        "errors_5xx": errors,
        "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
    }


def http_reads(b: Bench, port: int, paths: list[str], headers: Any) -> dict[str, Any]:
    workload = load.Workload(
        "get", port=port, paths=tuple(paths), headers=headers, secret=b.secret_for(port)
    )
    return summary(load.run(workload, clients=b.clients, seconds=b.seconds))


def redis_reads(b: Bench, kind: str, board: str, members: list[str]) -> dict[str, Any]:
    workload = load.Workload(
        kind, redis_url=b.running.redis_url, board=board, members=tuple(members)
    )
    return summary(load.run(workload, clients=b.clients, seconds=b.seconds))


def outbox_size(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(ProjectionOutbox)) or 0)
    finally:
        engine.dispose()


def wait_drained(database_url: str, timeout: float = DRAIN_TIMEOUT) -> float:
    """Wall time at which the outbox was seen empty: every entry is on the boards."""
    engine = make_engine(database_url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if not conn.scalar(select(func.count()).select_from(ProjectionOutbox)):
                    return time.time()
            time.sleep(0.05)
    finally:
        engine.dispose()
    raise TimeoutError("the projection outbox did not drain in time")


def intake(
    b: Bench,
    members: list[str],
    tag: str,
    batch: int,
    clients: int,
    port: int | None = None,
    headers: Any = None,
) -> dict[str, Any]:
    """Events posted flat out for ``seconds``; the rate counts until the boards show them."""
    workload = load.Workload(
        "events",
        port=port or b.running.ports["gateway"],
        headers=headers or b.auth(b.events_key),
        batch=batch,
        members=tuple(members),
        id_prefix=f"{tag}-{time.time_ns()}",
        secret=b.secret_for(port or b.running.ports["gateway"]),
    )
    result = load.run(workload, clients=clients, seconds=b.seconds)
    drained = wait_drained(b.running.database_url)
    out = summary(result, per_s=result.events_per_s)
    out["accepted_per_s"] = out.pop("per_s")
    out["events"] = result.events
    out["per_s"] = round(result.events / (drained - result.started_at), 1)
    out["drain_after_s"] = round(drained - (result.started_at + result.seconds), 2)
    return out


def projection_lag(b: Bench, members: list[str], probes: list[str], rate: float) -> dict[str, Any]:
    """Events at ``rate``/s in the background; probe events for members not yet on the board,
    each timed from its 201 to its appearance on the whole-organisation board."""
    workload = load.Workload(
        "events",
        port=b.running.ports["gateway"],
        headers=b.auth(b.events_key),
        members=tuple(members),
        id_prefix=f"lag-{time.time_ns()}",
    )
    background: dict[str, load.Result] = {}
    thread = threading.Thread(
        target=lambda: background.setdefault(
            "r", load.run(workload, clients=8, seconds=b.seconds + 2, rate=rate)
        )
    )
    thread.start()
    redis, board = b.redis(), board_key("org", "all", "total")
    time.sleep(2.5)  # the background clients are running
    lags: list[float] = []
    deadline = time.monotonic() + b.seconds
    for member in probes:
        if time.monotonic() > deadline:
            break
        status = _post_event(b, member)
        acked = time.perf_counter()
        if status != 201:
            continue
        while redis.zscore(board, member) is None:
            if time.perf_counter() - acked > 30:
                break
            time.sleep(0.002)
        lags.append(time.perf_counter() - acked)
    thread.join()
    sent = background["r"]
    return {
        "target_rate_per_s": round(rate, 1),
        "background_per_s": round(sent.events_per_s, 1),
        "probes": len(lags),
        "p50_s": round(load.percentile(lags, 50), 3),
        "p99_s": round(load.percentile(lags, 99), 3),
    }


def _post_event(b: Bench, member: str) -> int:
    body = {
        "id": f"probe-{member}-{time.time_ns()}",
        "type": "quiz",
        "member": member,
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": {"quiz": "probe", "score": 95, "max_score": 100},
    }
    return call(b, "POST", "/api/v1/events", b.events_key, body)[0]


def call(b: Bench, method: str, path: str, key: str, body: Any = None) -> tuple[int, Any]:
    status, answer, _ = b.running.platform.call(method, path, body, key)
    return status, answer


def around_path(b: Bench) -> str | None:
    """The around-me endpoint's path template, if the platform has one yet."""
    _, document = call(b, "GET", "/api/openapi.json", b.admin_key)
    for path in (document or {}).get("paths", {}):
        if "around" in path and "{" in path:
            return str(path)
    return None


def rebuild(b: Bench) -> dict[str, Any]:
    """Rebuild every board through the admin endpoint; timed until the job has finished."""
    started = time.perf_counter()
    status, body = call(b, "POST", "/api/v1/leaderboard/rebuild", b.admin_key)
    assert status == 202, (status, body)
    redis = b.redis()
    while True:
        job = Job.fetch(body["job_id"], connection=redis, serializer=JSONSerializer)
        state = job.get_status()
        if state == "finished":
            break
        if state in ("failed", "stopped", "canceled"):
            raise RuntimeError(f"rebuild job {state}: {job.latest_result()}")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    entries = int((job.return_value() or {}).get("rebuilt", {}).get("entries", 0))
    return {"entries": entries, "seconds": round(seconds, 2), "per_s": round(entries / seconds, 1)}


def with_cpu(running: Running, count: str, during: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A repeated figure, plus the CPU time each process spent per request (``count`` names
    the runs' field to divide by: requests or events), in microseconds. Rates on a shared
    machine move with whatever else runs on it; CPU time per request moves much less, and
    shows where the time goes."""
    before = running.cpu_seconds()
    figure = during()
    after = running.cpu_seconds()
    done = sum(run[count] for run in figure["runs"]) or 1
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    figure["cpu_us"] = {name: round(1e6 * s / done) for name, s in sorted(spent.items()) if s > 0}
    return figure


def sample_rss(running: Running, during: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    """Run ``during`` and keep the highest resident memory seen per service meanwhile."""
    peak: dict[str, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            for name, mb in running.rss_mb().items():
                peak[name] = max(peak.get(name, 0.0), mb)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        value = during()
    finally:
        stop.set()
        thread.join()
    return value, peak
