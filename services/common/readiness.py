"""``/readyz``: is this process able to serve, that is, are the stores it needs reachable?

``/healthz`` says the process is alive; ``/readyz`` runs the checks the app registered (its
database, its Redis) and answers 200, or 503 in the one error shape with ``Retry-After`` so a
load balancer or an orchestrator holds traffic back until the stores are back. A process checks
only what it uses itself, never the services it calls: one service down must not make every
caller look unready too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy import text

from services.common.db import Database
from services.common.errors import json_error

Check = Callable[[], Any]
CHECKS = "readiness"
RETRY_AFTER = "5"

log = logging.getLogger(__name__)


def watch(app: Flask, **checks: Check) -> None:
    """Register readiness checks by name: each raises when its store is unreachable."""
    app.extensions.setdefault(CHECKS, {}).update(checks)


def database(db: Database) -> Check:
    def check() -> None:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    return check


def redis(client: Any) -> Check:
    """``client`` is a ``redis.Redis``; its own short timeouts bound the check."""
    return lambda: client.ping()


def answer(app: Flask, name: str) -> Response:
    checks: dict[str, Check] = app.extensions.get(CHECKS, {})
    states = {check: _state(check, run) for check, run in checks.items()}
    down = sorted(check for check, state in states.items() if state != "ok")
    if down:
        return json_error(
            503,
            f"Not ready: {', '.join(down)} unreachable; retry shortly.",
            errors={"checks": states},
            headers={"Retry-After": RETRY_AFTER},
        )
    return jsonify(status="ready", service=name, checks=states)


def _state(name: str, check: Check) -> str:
    try:
        check()
    except Exception as exc:  # any failure means "not ready", whatever the driver raised
        log.warning("readiness check %s failed: %s", name, exc)
        return "unreachable"
    return "ok"
