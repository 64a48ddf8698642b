"""What the request rate limiter (gateway/rate_limits.py) costs: the gateway's standing read,
in process, with limits on and off, in CPU time per request.

    .venv/bin/python -m bench.limiter_cost [requests per round, default 3000]   # about two minutes

It starts a private redis-server with a password (as the embedded one has), SQLite files in a
temporary directory, and the gateway with the leaderboard in its own process (as `make run`
serves it), one read key and a board of 10,000 members. The reads go through the gateway's
WSGI app with Flask's test client, so no sockets are involved: the figure is the gateway's
own work (routing, the key, the limiter's round trips to Redis, the board read) plus what
Redis spent on it, measured with ``time.process_time`` here and from /proc for redis-server.
Rounds alternate between three gateways: limiter off, on, and on without the hook that writes
the ``X-RateLimit-*`` headers (their two extra round trips to Redis), so a busy neighbour on
the machine weighs on all alike. `make bench` does not run it; its figures are in the
README's "Performance".
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from redis import Redis

from deploy.local import free_port, wait_for_port
from deploy.processes import IN_PROCESS
from gateway import create_app
from gateway.keys import create_key
from services.common.embedded_redis import embedded_url, server_command
from services.common.migrations import upgrade
from services.leaderboard.keys import board_key
from services.settings import Settings
from tests.harness.usage import cpu_seconds

ROUNDS = 5
SCOPE = "unit:limiter-cost"


OFF, ON, NO_HEADERS = "off", "on", "on without headers"


def gateway_client(settings: Settings, how: str) -> FlaskClient:
    app = create_app(settings.with_overrides(rate_limit_enabled=how != OFF))
    if how == NO_HEADERS:  # the same limiter without the hook that writes X-RateLimit-*
        hooks = app.after_request_funcs[None]
        hooks[:] = [hook for hook in hooks if getattr(hook, "__name__", "") != "rate_limit_headers"]
    return app.test_client()


def one_round(client: FlaskClient, key: str, paths: list[str], redis_pid: int) -> float:
    """Microseconds of CPU (this process and redis-server) per standing read."""
    headers = {"Authorization": f"Bearer {key}"}
    redis_before, started = cpu_seconds(redis_pid), time.process_time()
    for path in paths:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, answer.get_json()
    spent = time.process_time() - started + cpu_seconds(redis_pid) - redis_before
    return spent / len(paths) * 1e6


def measure(requests: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="limiter-cost-"))
    port, password = free_port(), secrets.token_hex(16)
    redis_server = subprocess.Popen(
        server_command(port, work / "redis", password=password), stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        return _measure(work, embedded_url(port, password), redis_server.pid, requests)
    finally:
        redis_server.terminate()
        redis_server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def _measure(work: Path, redis_url: str, redis_pid: int, requests: int) -> dict[str, Any]:
    env = {"VAR_DIR": str(work), "REDIS_URL": redis_url, "GATEWAY_IN_PROCESS": IN_PROCESS}
    os.environ.update(env)  # the in-process leaderboard reads its settings as a process does
    settings = Settings.from_env(env)
    # Generous limits: the rounds must measure the counting, never be refused by it.
    settings = settings.with_overrides(rate_limit_read=f"{requests * ROUNDS * 10}/hour")
    upgrade("gateway", settings.database_url("gateway"))
    upgrade("services.leaderboard", settings.database_url("leaderboard"))
    clients = {how: gateway_client(settings, how) for how in (ON, NO_HEADERS, OFF)}
    with clients[OFF].application.extensions["db"].write() as session:
        key = create_key(session, "limiter-cost", ["read"])
    sample = _board(Redis.from_url(redis_url), requests)
    paths = [f"/api/v1/members/{member}/standing?scope={SCOPE}" for member in sample]
    for client in clients.values():  # warm up: first requests build caches and connections
        one_round(client, key, paths[:200], redis_pid)
    rounds: dict[str, list[float]] = {how: [] for how in clients}
    for _ in range(ROUNDS):
        for how, client in clients.items():
            rounds[how].append(one_round(client, key, paths, redis_pid))
    us = {how: statistics.median(spent) for how, spent in rounds.items()}
    return {
        "requests": requests,
        "rounds": ROUNDS,
        **{f"{how}_us": round(value, 1) for how, value in us.items()},
        "limiter_us": round(us[ON] - us[OFF], 1),
        "headers_us": round(us[ON] - us[NO_HEADERS], 1),
        "ratio": round(us[ON] / us[OFF], 3),
    }


def _board(redis: Redis, count: int) -> list[str]:
    board = board_key(SCOPE, "all", "total")
    members = {f"M{i:05d}": -(i % 97) for i in range(10_000)}
    redis.zadd(board, members)
    names = list(members)
    return [names[(i * 7919) % len(names)] for i in range(count)]


def main() -> int:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    figure = measure(requests)
    print(
        f"standing read through the gateway, in process, median of {figure['rounds']} rounds "
        f"of {figure['requests']}, us of CPU per request: limiter on {figure[ON + '_us']}, "
        f"{NO_HEADERS} {figure[NO_HEADERS + '_us']}, off {figure[OFF + '_us']}; the limiter "
        f"costs {figure['limiter_us']} us (x{figure['ratio']}), its headers "
        f"{figure['headers_us']} us of that"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
