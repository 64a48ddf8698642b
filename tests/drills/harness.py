"""The platform for fault drills: every process of `make run` (deploy.processes), started one by
one so that a drill can kill, stop or restart any of them, and a redis-server of the drill's
own so that it can be flushed, stopped and brought back empty."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import urllib3
from redis import Redis
from sqlalchemy import func, select

from deploy.local import create_key, listening
from deploy.processes import all_processes
from services.common.db import make_engine
from services.common.embedded_redis import server_command
from services.points.models import Event, LedgerEntry, Member
from services.settings import Settings
from tests.support import wait_for_port

WEB = ("gateway", "points", "rewards", "leaderboard")


@dataclass
class Drill:
    var_dir: Path
    env: dict[str, str]
    settings: Settings
    redis_port: int
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    redis_process: subprocess.Popen[bytes] | None = None
    http: urllib3.PoolManager = field(
        default_factory=lambda: urllib3.PoolManager(maxsize=64, retries=False)
    )
    admin_key: str = ""
    sender_key: str = ""

    # --- processes -------------------------------------------------------------------
    def start_redis(self) -> None:
        """A fresh, empty redis-server on the same port (no snapshots: it starts empty)."""
        data = self.var_dir / "redis"
        log = open(self.var_dir / "redis.log", "ab")  # noqa: SIM115 (lives with the process)
        self.redis_process = subprocess.Popen(
            server_command(self.redis_port, data), stdout=log, stderr=log
        )
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        if self.redis_process:
            self.redis_process.kill()
            self.redis_process.wait(timeout=10)
            self.redis_process = None

    def redis(self) -> Redis:
        return Redis(port=self.redis_port)

    def start(self, name: str) -> None:
        command = next(p.command for p in all_processes(self.settings) if p.name == name)
        log = open(self.var_dir / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
        self.processes[name] = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if name in WEB:
            wait_for_port(self.settings.ports[name], timeout=60)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a process and everything it started (gunicorn's workers, rq's scheduler)."""
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def start_all(self) -> None:
        self.start_redis()
        subprocess.run(
            [sys.executable, "-m", "deploy.platform", "migrate"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        for process in all_processes(self.settings):
            self.start(process.name)
        self.admin_key = self.create_key("drill-admin", "admin")
        self.sender_key = self.create_key("drill-terminal", "events")

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        self.stop_redis()

    def create_key(self, name: str, *scopes: str) -> str:
        return create_key(self.env, name, *scopes)

    # --- HTTP ------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        key: str | None = None,
        port: int | None = None,
        timeout: float = 60,
        **headers: str,
    ) -> tuple[int, Any, dict[str, str]]:
        headers.setdefault("Authorization", f"Bearer {key or self.admin_key}")
        headers.setdefault("Content-Type", "application/json")
        response = self.http.request(
            method,
            f"http://127.0.0.1:{port or self.settings.ports['gateway']}{path}",
            body=None if body is None else json.dumps(body),
            headers=headers,
            timeout=timeout,
        )
        data = json.loads(response.data) if response.data else None
        return response.status, data, dict(response.headers)

    def post_events(self, events: list[dict[str, Any]], key: str | None = None) -> tuple[int, Any]:
        status, body, _ = self.call(
            "POST", "/api/v1/events", {"events": events}, key or self.sender_key
        )
        return status, body

    def setup_org(self, members: int) -> list[str]:
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
        engine = make_engine(self.settings.database_url("points"))
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    select(Member.staff_no, func.sum(LedgerEntry.points))
                    .join(Member, Member.id == LedgerEntry.member_id)
                    .group_by(Member.staff_no)
                ).all()
        finally:
            engine.dispose()
        return {staff_no: int(total) for staff_no, total in rows if total}

    def ledger_count(self) -> int:
        return self._count(LedgerEntry)

    def event_count(self) -> int:
        return self._count(Event)

    def _count(self, model: Any) -> int:
        """Rows of a points table, read straight from its database."""
        engine = make_engine(self.settings.database_url("points"))
        try:
            with engine.connect() as conn:
                return int(conn.scalar(select(func.count()).select_from(model)) or 0)
        finally:
            engine.dispose()

    @contextmanager
    def database_locked(self) -> Iterator[None]:
        """The points database locked by another client for the block: all of SQLite's file
        (an exclusive transaction), or PostgreSQL's ledger table, which intake writes after
        its events, so a refused request has something it must not leave behind."""
        url = self.settings.database_url("points")
        engine = make_engine(url)
        release, locked = threading.Event(), threading.Event()

        def hold() -> None:
            raw = engine.raw_connection()  # the driver's own: no transaction SQLAlchemy began
            try:
                if url.startswith("sqlite"):
                    raw.cursor().execute("BEGIN EXCLUSIVE")
                else:
                    raw.cursor().execute(f"LOCK TABLE {LedgerEntry.__tablename__}")
                locked.set()
                release.wait(60)
                raw.rollback()
            finally:
                raw.close()

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            assert locked.wait(10)
            yield
        finally:
            release.set()
            holder.join()
            engine.dispose()

    def board_totals(self) -> dict[str, int]:
        """The whole-organisation all-time board, read page by page through the gateway."""
        totals: dict[str, int] = {}
        offset = 0
        while True:
            status, page, _ = self.call(
                "GET", f"/api/v1/leaderboard?scope=org&period=all&limit=100&offset={offset}"
            )
            assert status == 200, page
            for row in page["items"]:
                if row["points"]:
                    totals[row["member"]] = row["points"]
            offset += 100
            if offset >= page["total"]:
                return totals

    def wait_boards_equal_ledger(self, timeout: float = 60) -> dict[str, int]:
        """Wait until the board equals the ledger's sums; fail with both when it never does."""
        deadline = time.monotonic() + timeout
        while True:
            ledger = self.ledger_totals()
            try:
                board = self.board_totals()
            except (AssertionError, urllib3.exceptions.HTTPError):
                board = {}
            if board == ledger or time.monotonic() > deadline:
                assert board == ledger, _diff(board, ledger)
                return ledger
            time.sleep(0.2)


def _diff(board: dict[str, int], ledger: dict[str, int]) -> str:
    keys = sorted(set(board) | set(ledger))
    wrong = [(k, board.get(k), ledger.get(k)) for k in keys if board.get(k) != ledger.get(k)]
    return f"{len(wrong)} members differ (member, board, ledger): {wrong[:10]}"


def wait_for(check: Callable[[], Any], timeout: float = 30, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def kill_redis(pid: int, port: int) -> None:
    """A job for the platform's worker: Redis dies under the worker's own bookkeeping."""
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not listening("127.0.0.1", port), timeout=10, every=0.01)


def quiz(
    event_id: str, member: str, score: int = 95, at: str = "2026-11-20T09:00:00+08:00"
) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "quiz",
        "member": member,
        "occurred_at": at,
        "data": {"quiz": f"q-{event_id}", "score": score, "max_score": 100},
    }
