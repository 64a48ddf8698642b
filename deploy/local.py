"""Helpers for driving a platform on this machine: ports, API keys through the gateway CLI, and
private PostgreSQL schemas.

Used by `make run`, `make demo`, `make bench` and the end-to-end tests and drills, so each
starts and talks to the platform the same way.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from services.common.db import make_engine


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


@contextmanager
def private_postgres_schema(base_url: str, prefix: str = "t") -> Iterator[str]:
    """A fresh schema on ``base_url`` (a test's or a bench run's own), and the URL that puts
    it first on the search path; dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = make_engine(base_url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
