"""Helpers the test tiers share: free ports, waiting for real servers, private databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from deploy.local import free_port, private_postgres_schema, wait_for_port

# The test tiers import these from here.
__all__ = ["free_port", "private_postgres_schema", "wait_for_port"]


def postgres_url() -> str | None:
    """TEST_DATABASE_URL, when set, adds a PostgreSQL run of every database test."""
    return os.environ.get("TEST_DATABASE_URL") or None


# The kinds of database each database test (and each fault drill) runs on.
DATABASES = ["sqlite"] + (["postgresql"] if postgres_url() else [])


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
