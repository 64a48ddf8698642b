"""The load generator: client processes, separate from the platform, each running a few
threads with one keep-alive connection apiece (re-opened whenever the server closes it, as
gunicorn's sync workers do after every response). Bounded by a deadline and a request count.

Runs in processes started with ``spawn``, so nothing of the driver (pools, threads) leaks in.
"""

from __future__ import annotations

import http.client
import itertools
import json
import multiprocessing
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SAMPLE_CAP = 100_000  # latencies kept per process; plenty for a p99


@dataclass(frozen=True)
class Workload:
    """What each client sends. ``kind``: "get" cycles through ``paths``; "events" posts
    single events (batch 0) or batches of unique events; "redis_page"/"redis_standing" issue
    the store's own Redis reads directly (the store's ceiling)."""

    kind: str
    port: int = 0
    paths: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    batch: int = 0
    members: tuple[str, ...] = ()
    id_prefix: str = ""
    redis_url: str = ""
    board: str = ""
    # The internal hop's secret: requests straight to a service are signed, one by one, as
    # the gateway signs them (the signing is the client's cost, the check the service's).
    secret: str = ""


@dataclass
class Result:
    requests: int = 0
    events: int = 0
    seconds: float = 0.0
    started_at: float = 0.0  # wall clock, when the clients began
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        return percentile(self.latencies, q)

    def merge(self, other: Result) -> None:
        self.requests += other.requests
        self.events += other.events
        self.seconds = max(self.seconds, other.seconds)
        self.statuses.update(other.statuses)
        self.latencies.extend(other.latencies)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run(
    workload: Workload,
    *,
    clients: int,
    seconds: float,
    max_requests: int = 1_000_000,
    rate: float | None = None,
    processes: int = 4,
) -> Result:
    """Drive ``clients`` concurrent clients for at most ``seconds`` / ``max_requests``.

    ``rate`` (requests/s over all clients) paces them instead of running flat out.
    """
    processes = max(1, min(processes, clients))
    per_proc = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 1.0 + 0.3 * processes  # after every process has started
    limit = max(1, max_requests // clients)
    pace = (clients / rate) if rate else 0.0
    args = [(workload, p, n, start_at, seconds, limit, pace) for p, n in enumerate(per_proc) if n]
    with ctx.Pool(len(args)) as pool:
        parts = pool.starmap(_process, args)
    total = Result(started_at=start_at)
    for part in parts:
        total.merge(part)
    return total


def _process(
    workload: Workload,
    proc: int,
    threads: int,
    start_at: float,
    seconds: float,
    limit: int,
    pace: float,
) -> Result:
    results = [Result() for _ in range(threads)]
    workers = [
        threading.Thread(
            target=_client,
            args=(workload, f"{proc}-{t}", results[t], start_at, seconds, limit, pace),
        )
        for t in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = Result()
    for part in results:
        total.merge(part)
    if len(total.latencies) > SAMPLE_CAP:
        total.latencies = total.latencies[:: len(total.latencies) // SAMPLE_CAP + 1]
    return total


def _client(
    workload: Workload,
    name: str,
    result: Result,
    start_at: float,
    seconds: float,
    limit: int,
    pace: float,
) -> None:
    send = (
        _redis_sender(workload)
        if workload.kind.startswith("redis")
        else _http_sender(workload, name)
    )
    time.sleep(max(0.0, start_at - time.time()))
    begin = time.perf_counter()
    deadline = begin + seconds
    for i in range(limit):
        now = time.perf_counter()
        if now >= deadline:
            break
        if pace:
            due = begin + i * pace
            if due > now:
                time.sleep(due - now)
        t0 = time.perf_counter()
        status, events = send(i)
        result.latencies.append(time.perf_counter() - t0)
        result.statuses[status] += 1
        result.requests += 1
        result.events += events
    result.seconds = time.perf_counter() - begin


def _http_sender(workload: Workload, name: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", workload.port, timeout=30)
    fixed = dict(workload.headers)
    sign = _signing(workload.secret)
    paths = itertools.cycle(workload.paths or ("/",))
    members = workload.members
    offset = hash(name) % max(1, len(members))

    def event(i: int, j: int) -> dict[str, Any]:
        member = members[(offset + i * 7919 + j * 104729) % len(members)]
        return {
            "id": f"{workload.id_prefix}-{name}-{i}-{j}",
            "type": "attendance",
            "member": member,
            "occurred_at": datetime.now(UTC).isoformat(),
            "data": {"status": "on_time", "session": f"bench-{i}"},
        }

    def send(i: int) -> tuple[int, int]:
        try:
            if workload.kind == "events":
                if workload.batch:
                    body: Any = {"events": [event(i, j) for j in range(workload.batch)]}
                else:
                    body = event(i, 0)
                target = "/api/v1/events"
                conn.request("POST", target, json.dumps(body), sign("POST", target, fixed))
                count = workload.batch or 1
            else:
                target = next(paths)
                conn.request("GET", target, headers=sign("GET", target, fixed))
                count = 1
            response = conn.getresponse()
            response.read()
            if response.will_close:
                conn.close()
            return response.status, count if response.status < 300 else 0
        except (OSError, http.client.HTTPException):
            conn.close()
            return 599, 0

    return send


def _signing(secret: str) -> Any:
    """headers(method, target, fixed): the fixed headers, signed when there is a secret."""
    if not secret:
        return lambda _method, _target, fixed: fixed
    from services.common.signing import Signer, wire_target
    from services.contracts import SIGNATURE_HEADER, SIGNED_HEADERS

    signer = Signer(secret.encode(), SIGNATURE_HEADER, SIGNED_HEADERS)
    return lambda method, target, fixed: signer.signed(method, wire_target(target), fixed)


def _redis_sender(workload: Workload) -> Any:
    from redis import Redis

    from services.leaderboard.reads.boards import read_page, read_standing

    redis = Redis.from_url(workload.redis_url)
    members = itertools.cycle(workload.members or ("none",))

    def send(_i: int) -> tuple[int, int]:
        if workload.kind == "redis_page":
            read_page(redis, workload.board, 100)
        else:
            read_standing(redis, workload.board, next(members))
        return 200, 1

    return send
