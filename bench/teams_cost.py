"""What team standings and "most improved" cost at 100k and 1M members, in CPU time per
request, as multiples of a minimal Flask request and of a board read measured in the same run.

    .venv/bin/python -m bench.teams_cost [members ...] [--requests N]   # default 100000 1000000

(``--requests``: board reads per round, default 300; every other read a tenth as many.) About
five minutes with the shared results; the code before them needed seconds per team read at 1M.

As ``bench.limiter_cost`` does, it starts a private redis-server and serves the gateway with
the leaderboard in its own process (as `make run` does), one read key, and reads through the
gateway's WSGI app with Flask's test client: the figure is the gateway's and the leaderboard's
work plus what Redis spent on it (``time.process_time`` here, /proc for redis-server). The
minimal request is ``bench/minimal_app.py``'s ``/ping`` through its own test client.

The stage is written straight into Redis (not measured): the bench's 18 teams in a
three-level tree (``bench/org.py``), every member on the org, region, department and team
boards of all time, this week and last week, three in four members active this week and
half of them last week. `make bench` does not run it; its figures are in
docs/architecture.md ("Team standings") and the README's "Performance" notes.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from redis import Redis

from bench.minimal_app import create_app as minimal_app
from bench.org import DEPARTMENTS, REGIONS, TEAMS
from deploy.local import free_port, wait_for_port
from deploy.processes import IN_PROCESS
from gateway import create_app
from gateway.keys import create_key
from services.common.calendar import period_key, today
from services.common.embedded_redis import embedded_url, server_command
from services.common.migrations import upgrade
from services.leaderboard.keys import NAMES, UNITS, activity_key, board_key, unit_scope
from services.settings import Settings
from tests.harness.usage import cpu_seconds

ROUNDS = 3
CHUNK = 20_000
READS = {
    "board": "/api/v1/leaderboard?period=week",
    "teams": "/api/v1/leaderboard/teams?period=week",
    "teams_parent": "/api/v1/leaderboard/teams?period=all&parent=north&by=participation",
    "teams_improved": "/api/v1/leaderboard/teams/improved",
    "improved_points": "/api/v1/leaderboard/improved?period=week",
    "improved_rank": "/api/v1/leaderboard/improved?period=week&by=rank",
}


def paths() -> list[list[str]]:
    return [
        [region, f"{region}-{dept}", f"{region}-{dept}-{team}"]
        for region in REGIONS
        for dept in DEPARTMENTS
        for team in TEAMS
    ]


def stage(redis: Redis, members: int, timezone: str) -> None:
    """Boards, activity sets, names and the units mirror for ``members`` members."""
    day = today(timezone)
    weeks = [period_key("week", day), period_key("week", day - timedelta(days=7))]
    tree = paths()
    for start in range(0, members, CHUNK):
        units: dict[str, str] = {}
        boards: dict[str, dict[str, int]] = {}
        active: dict[str, list[str]] = {weeks[0]: [], weeks[1]: []}
        for i in range(start, min(members, start + CHUNK)):
            member, path = f"M{i:07d}", tree[i % len(tree)]
            units[member] = "/".join(path)
            points = {"all": 100 + i % 997, weeks[0]: i % 41, weeks[1]: i % 37 if i % 2 else 0}
            for scope in ("org", *(unit_scope(code) for code in path)):
                for period, earned in points.items():
                    if earned:
                        boards.setdefault(board_key(scope, period, "total"), {})[member] = -earned
            if points[weeks[0]] and i % 4:
                active[weeks[0]].append(member)
            if points[weeks[1]]:
                active[weeks[1]].append(member)
        pipe = redis.pipeline(transaction=False)
        pipe.hset(UNITS, mapping=units)
        pipe.hset(NAMES, mapping={member: f"Member {member}" for member in units})
        for key, scores in boards.items():
            pipe.zadd(key, scores)
        for week, found in active.items():
            if found:
                pipe.sadd(activity_key(week), *found)
        pipe.execute()


def per_request(
    get: Callable[[], Any], requests: int, redis_pid: int | None, warm: int = 1
) -> float:
    """Microseconds of CPU (this process, and redis-server when named) per request: the
    median of ROUNDS rounds, after ``warm`` requests that fill caches and connections."""
    for _ in range(warm):
        get()
    spent = []
    for _ in range(ROUNDS):
        redis_before = cpu_seconds(redis_pid) if redis_pid else 0.0
        started = time.process_time()
        for _ in range(requests):
            get()
        used = time.process_time() - started
        if redis_pid:
            used += cpu_seconds(redis_pid) - redis_before
        spent.append(used / requests * 1e6)
    return statistics.median(spent)


def minimal_us(requests: int = 3000) -> float:
    client = minimal_app().test_client()
    return per_request(lambda: client.get("/ping"), requests, None, warm=200)


def _reader(client: FlaskClient, key: str, path: str) -> Callable[[], Any]:
    headers = {"Authorization": f"Bearer {key}"}

    def get() -> Any:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.get_json())
        return answer

    return get


def _shown(figures: dict[str, Any], name: str) -> str:
    return ", ".join(
        f"{k.removeprefix(name + '_')} {v}" for k, v in figures.items() if k.startswith(name)
    )


def _read_cost(
    name: str, get: Callable[[], Any], redis_pid: int, requests: int
) -> dict[str, float]:
    # The first read pays for what later reads find shared (reads/shared.py): after a
    # write, that is paid again at most once per FRESH_SECONDS.
    once, redis_before, cpu = time.monotonic(), cpu_seconds(redis_pid), time.process_time()
    get()
    figures = {f"{name}_first_s": round(time.monotonic() - once, 3)}
    used = time.process_time() - cpu + cpu_seconds(redis_pid) - redis_before
    figures[f"{name}_first_cpu_s"] = round(used, 3)
    count = requests if name == "board" else max(1, requests // 10)
    figures[f"{name}_us"] = round(per_request(get, count, redis_pid, warm=0), 1)
    return figures


def measure(members: int, requests: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="teams-cost-"))
    port, password = free_port(), secrets.token_hex(16)
    redis_server = subprocess.Popen(
        server_command(port, work / "redis", password=password), stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        return _measure(work, embedded_url(port, password), redis_server.pid, members, requests)
    finally:
        redis_server.terminate()
        try:
            redis_server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # still writing its snapshot of a million members
            redis_server.kill()
            redis_server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def _measure(
    work: Path, redis_url: str, redis_pid: int, members: int, requests: int
) -> dict[str, Any]:
    env = {"VAR_DIR": str(work), "REDIS_URL": redis_url, "GATEWAY_IN_PROCESS": IN_PROCESS}
    os.environ.update(env)  # the in-process leaderboard reads its settings as a process does
    settings = Settings.from_env(env).with_overrides(rate_limit_enabled=False)
    upgrade("gateway", settings.database_url("gateway"))
    upgrade("services.leaderboard", settings.database_url("leaderboard"))
    client = create_app(settings).test_client()
    with client.application.extensions["db"].write() as session:
        key = create_key(session, "teams-cost", ["read"])
    started = time.monotonic()
    stage(Redis.from_url(redis_url), members, settings.org_timezone)
    staged = time.monotonic() - started
    figures: dict[str, Any] = {"members": members, "stage_s": round(staged, 1)}
    figures["minimal_us"] = round(minimal_us(), 1)
    for name, path in READS.items():
        try:
            figures.update(_read_cost(name, _reader(client, key, path), redis_pid, requests))
        except AssertionError as exc:  # e.g. a 503: Redis did not answer within 5 s
            figures[f"{name}_failed"] = str(exc)[:200]
        print(f"  ({members} members) {name}: {_shown(figures, name)}", flush=True)
    for name in READS:
        if f"{name}_us" in figures:
            figures[f"{name}_x_minimal"] = round(figures[f"{name}_us"] / figures["minimal_us"], 1)
            figures[f"{name}_x_board"] = round(figures[f"{name}_us"] / figures["board_us"], 1)
    return figures


def main() -> int:
    logging.disable(logging.INFO)  # the apps' request log lines
    parser = argparse.ArgumentParser(prog="bench.teams_cost")
    parser.add_argument("members", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    for members in args.members:
        figure = measure(members, args.requests)
        print(
            f"{members} members (staged in {figure['stage_s']} s), minimal request "
            f"{figure['minimal_us']} us of CPU:"
        )
        for name, path in READS.items():
            if name + "_failed" in figure:
                print(f"  {name:16} failed: {figure[name + '_failed']}  {path}")
                continue
            print(
                f"  {name:16} {figure[name + '_us']:>12} us  x{figure[name + '_x_minimal']} "
                f"minimal  x{figure[name + '_x_board']} board; first read "
                f"{figure[name + '_first_s']} s, {figure[name + '_first_cpu_s']} s of CPU  {path}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
