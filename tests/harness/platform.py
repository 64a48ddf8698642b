"""The platform as real processes on free ports under a private VAR_DIR: every process of
`make run` (deploy/processes.py, the same commands), a redis-server of its own and, when asked,
a private PostgreSQL schema. The end-to-end tests, the fault drills, the fuzzer and the bench
all start it here.

Processes are started one by one so that a drill can kill, stop or restart any of them; Redis
keeps no snapshot, so a restarted server comes back empty. The bench reads each process's CPU
time and memory; the others talk to it through ``call``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis import Redis
from urllib3.exceptions import HTTPError

from deploy.local import create_key, free_port, wait_for_port
from deploy.processes import all_processes
from services.common.embedded_redis import redis_server, server_command
from services.points.models import Event, LedgerEntry
from services.settings import Settings
from tests.harness import truth, usage
from tests.harness.client import Client, Reply
from tests.harness.waiting import wait_until

WEB = ("gateway", "points", "rewards", "leaderboard")
# Per-caller rate limits (gateway/rate_limits.py) no run of the fuzzer or the bench reaches:
# each plays every client with one key as fast as the platform answers (the fuzzer over 4,000
# test cases a minute here, many sent again without a key; the bench's reads 30-40 thousand),
# far past what one real caller is allowed. The limiter stays on and counts every
# request, so its cost stays in the figures and its headers in the fuzzed answers.
UNREACHED_RATE_LIMITS = {
    f"RATE_LIMIT_{kind}": "1000000/minute" for kind in ("READ", "WRITE", "EVENTS", "ANONYMOUS")
}
# The keys the harness makes on first use: what each is called after the prefix, its scopes.
KEYS = {"admin": ("admin",), "terminal": ("events",), "reader": ("read",)}


@dataclass
class Platform:
    var_dir: Path
    env: dict[str, str]
    settings: Settings
    redis_port: int
    key_prefix: str = "harness"
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    redis_process: subprocess.Popen[bytes] | None = None
    # Started beside the platform (the bench's minimal Flask app): not part of its memory.
    extras: set[str] = field(default_factory=set)
    _keys: dict[str, str] = field(default_factory=dict)
    _keys_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.client = Client("127.0.0.1", self.settings.ports["gateway"], lambda: self.admin_key)
        self.http = self.client.http

    @classmethod
    def configure(
        cls, var_dir: Path, database_url: str | None = None, key_prefix: str = "harness", **env: str
    ) -> Platform:
        """A platform on free ports (not started), with ``env`` added to its environment."""
        redis_port = free_port()
        merged = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        merged.update({f"{name.upper()}_PORT": str(free_port()) for name in WEB})
        merged.update(VAR_DIR=str(var_dir), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
        merged.update(env)
        if database_url:
            merged["DATABASE_URL"] = database_url
        return cls(var_dir, merged, Settings.from_env(merged), redis_port, key_prefix)

    # --- processes -------------------------------------------------------------------
    def start_all(self) -> None:
        self.start_redis()
        self.migrate()
        for process in all_processes(self.settings):
            self.start(process.name)

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "deploy.platform", "migrate"],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        self.stop_redis()

    def start(self, name: str) -> None:
        """One process of the platform, by its name in deploy/processes.py."""
        command = next(p.command for p in all_processes(self.settings) if p.name == name)
        self.start_process(name, command, self.settings.ports.get(name))

    def start_process(self, name: str, command: list[str], port: int | None = None) -> None:
        """Any command in the platform's environment, logged to VAR_DIR/<name>.log; with
        ``port``, return once it listens there."""
        log = open(self.var_dir / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
        self.processes[name] = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if port:
            wait_for_port(port, timeout=60)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process and everything it started (gunicorn's workers, rq's scheduler)."""
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def start_redis(self) -> None:
        """A fresh, empty redis-server on the platform's port (no snapshots: it starts empty)."""
        log = open(self.var_dir / "redis.log", "ab")  # noqa: SIM115 (lives with the process)
        server = redis_server(self.settings.embedded_redis_server)
        command = server_command(self.redis_port, self.var_dir / "redis", server=server)
        self.redis_process = subprocess.Popen(command, stdout=log, stderr=log)
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        if self.redis_process:
            self.redis_process.kill()
            self.redis_process.wait(timeout=10)
            self.redis_process = None

    def redis(self) -> Redis:
        return Redis(port=self.redis_port)

    # --- what each process costs -------------------------------------------------------
    def _roots(self) -> dict[str, int]:
        roots = {name: process.pid for name, process in self.processes.items()}
        if self.redis_process:
            roots["redis"] = self.redis_process.pid
        return roots

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each process and what it started."""
        return {
            name: sum(usage.cpu_seconds(pid) for pid in usage.descendants(root))
            for name, root in self._roots().items()
        }

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each process of the platform (master and workers), in MiB."""
        return {
            name: round(sum(usage.rss_kib(pid) for pid in usage.descendants(root)) / 1024, 1)
            for name, root in sorted(self._roots().items())
            if name not in self.extras
        }

    # --- keys and HTTP -----------------------------------------------------------------
    def create_key(self, name: str, *scopes: str) -> str:
        return create_key(self.env, name, *scopes)

    def key(self, role: str) -> str:
        """The key named ``<prefix>-<role>``, made with the gateway CLI on first use."""
        with self._keys_lock:
            if role not in self._keys:
                self._keys[role] = self.create_key(f"{self.key_prefix}-{role}", *KEYS[role])
            return self._keys[role]

    @property
    def admin_key(self) -> str:
        return self.key("admin")

    @property
    def sender_key(self) -> str:
        return self.key("terminal")

    @property
    def reader_key(self) -> str:
        return self.key("reader")

    @property
    def base_url(self) -> str:
        return self.client.base_url

    def call(self, method: str, path: str, body: Any = None, *args: Any, **kwargs: Any) -> Reply:
        """A request through the gateway (see Client.call), with the admin key by default."""
        return self.client.call(method, path, body, *args, **kwargs)

    def post_events(self, events: list[dict[str, Any]], key: str | None = None) -> tuple[int, Any]:
        status, body, _ = self.call(
            "POST", "/api/v1/events", {"events": events}, key or self.sender_key
        )
        return status, body

    def setup_org(self, members: int) -> list[str]:
        """Three units and ``members`` members spread over two of them; their staff numbers."""
        self.call("POST", "/api/v1/units", {"code": "north", "name": "North"})
        self.call("POST", "/api/v1/units", {"code": "north-ops", "name": "Ops", "parent": "north"})
        self.call("POST", "/api/v1/units", {"code": "south", "name": "South"})
        staff = [f"D{i:04d}" for i in range(members)]
        for i, staff_no in enumerate(staff):
            unit = "north-ops" if i % 2 else "south"
            status, body, _ = self.call(
                "POST", "/api/v1/members", {"staff_no": staff_no, "name": f"M {i}", "unit": unit}
            )
            assert status == 201, body
        return staff

    # --- the truth and the projection --------------------------------------------------
    def ledger_totals(self) -> dict[str, int]:
        return truth.ledger_totals(self.settings.database_url("points"))

    def ledger_count(self) -> int:
        return truth.count(self.settings.database_url("points"), LedgerEntry)

    def event_count(self) -> int:
        return truth.count(self.settings.database_url("points"), Event)

    def database_locked(self) -> AbstractContextManager[None]:
        return truth.locked(self.settings.database_url("points"))

    def board_totals(self) -> dict[str, int]:
        return truth.board_totals(self.call)

    def wait_boards_equal_ledger(self, timeout: float = 60) -> dict[str, int]:
        """Wait until the board equals the ledger's sums; fail with both when it never does."""
        seen: dict[str, dict[str, int]] = {}

        def settled() -> bool:
            seen["ledger"] = ledger = self.ledger_totals()
            board = self.board_totals()
            assert board == ledger, truth.difference(board, ledger)
            return True

        wait_until(settled, timeout, 0.2, "the boards equal to the ledger", (OSError, HTTPError))
        return seen["ledger"]


@contextmanager
def launched(
    var_dir: Path, database_url: str | None = None, key_prefix: str = "harness", **env: str
) -> Iterator[Platform]:
    """A started platform for the block, stopped after it."""
    platform = Platform.configure(var_dir, database_url, key_prefix, **env)
    try:
        platform.start_all()
        yield platform
    finally:
        platform.stop_all()
