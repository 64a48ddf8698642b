"""The platform under test, started exactly as `make run` starts it (``deploy.platform run``)
on free ports in a temporary VAR_DIR, plus the minimal Flask app under the same gunicorn
settings. With DATABASE_URL set, every service uses a private PostgreSQL schema, dropped after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deploy.local import create_key, free_port, private_postgres_schema, wait_for_port

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("gateway", "points", "rewards", "leaderboard")


@dataclass
class Running:
    env: dict[str, str]
    ports: dict[str, int]
    var_dir: Path
    process: subprocess.Popen[bytes]
    minimal: subprocess.Popen[bytes]
    minimal_port: int
    database_url: str

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.env['EMBEDDED_REDIS_PORT']}/0"

    def create_key(self, name: str, *scopes: str) -> str:
        return create_key(self.env, name, *scopes)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each service, and by the minimal app."""
        totals: dict[str, float] = {}
        roles = [(pid, _role(pid)) for pid in _descendants(self.process.pid)]
        roles += [(pid, "minimal Flask") for pid in _descendants(self.minimal.pid)]
        for pid, name in roles:
            if name:
                totals[name] = totals.get(name, 0.0) + _cpu_seconds(pid)
        return totals

    def rss_mb(self) -> dict[str, float]:
        """Resident memory of each service (master and workers together), in MiB."""
        totals: dict[str, float] = {}
        for pid in _descendants(self.process.pid):
            name = _role(pid)
            if name:
                totals[name] = totals.get(name, 0.0) + _rss_kib(pid) / 1024
        return {k: round(v, 1) for k, v in sorted(totals.items())}


@contextlib.contextmanager
def started(workers: int = 2) -> Iterator[Running]:
    var_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    ports = {name: free_port() for name in SERVICES}
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        VAR_DIR=str(var_dir),
        EMBEDDED_REDIS_PORT=str(free_port()),
        PROJECTION_INTERVAL="5",
        WEB_WORKERS=str(workers),
        LOG_LEVEL="warning",
    )
    with _database(env) as database_url:
        if database_url:
            env["DATABASE_URL"] = database_url
        log = open(var_dir / "platform.log", "wb")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [sys.executable, "-m", "deploy.platform", "run"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        minimal_port = free_port()
        minimal = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{minimal_port}",
                "bench.minimal_app:create_app()",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for port in [*ports.values(), minimal_port]:
                wait_for_port(port)
            url = database_url or f"sqlite:///{var_dir / 'points.db'}"
            yield Running(env, ports, var_dir, process, minimal, minimal_port, url)
        finally:
            for proc in (process, minimal):
                _stop(proc)
            log.close()
            if not os.environ.get("BENCH_KEEP"):  # a 1M-entry ledger is worth not leaving behind
                shutil.rmtree(var_dir, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def _database(env: dict[str, str]) -> Iterator[str | None]:
    base = env.get("DATABASE_URL")
    if not base:
        yield None
        return
    with private_postgres_schema(base, "bench") as url:
        yield url


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(root: int) -> list[int]:
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def _role(pid: int) -> str | None:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    words = [w.decode(errors="replace") for w in cmd]
    if "deploy.supervise" in words:
        return None  # the worker's supervisor; the worker itself is counted
    for word in words:
        if word.startswith("lip-"):
            return word[4:]
    if any(w.endswith("/rq") for w in words) and "worker" in words:
        return "worker"
    if "services.leaderboard.ticker" in words:
        return "ticker"
    if any("redis-server" in w for w in words[:1]):
        return "redis"
    return None


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
