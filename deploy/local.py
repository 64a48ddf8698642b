"""Helpers for driving a platform on this machine: ports, and API keys through the gateway CLI.

Used by `make run`, `make demo`, `make bench` and the end-to-end tests and drills, so each
starts and talks to the platform the same way.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if listening("127.0.0.1", port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout}s")


def create_key(env: Mapping[str, str], name: str, *scopes: str) -> str:
    """A new API key made with `flask --app gateway keys create` (it prints the key last)."""
    args = [str(Path(sys.executable).parent / "flask"), "--app", "gateway", "keys", "create"]
    args += ["--name", name]
    for scope in scopes:
        args += ["--scope", scope]
    out = subprocess.run(args, env=dict(env), check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]
