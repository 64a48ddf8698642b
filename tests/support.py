"""Helpers the test tiers share: free ports, waiting for real servers, private databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from deploy.local import free_port, wait_for_port
from services.common.db import make_engine

__all__ = ["free_port", "wait_for_port"]  # the test tiers import them from here


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, when set, adds a PostgreSQL run of every database test."""
    return os.environ.get("TEST_DATABASE_URL") or None


@contextmanager
def private_postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh schema per test, so tests never see each other's rows; dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
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


@contextmanager
def serving(app, port: int | None = None) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve a real Flask app over real HTTP on a free port, in a thread, for one test."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", port or free_port(), app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
