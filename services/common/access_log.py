"""The access log: one JSON line per request, through the ``access`` logger, on stderr, where
gunicorn's error log and the process manager collect every process's output (gunicorn's own
access log is off: one log, not two).

A line holds what an operator needs to follow a request across the gateway and the services
(the request id is the same on every hop) and nothing a reader could sign in with: no header
is copied, no body, no query string (only the path), so no key, token, password,
Authorization or Cookie value ever reaches the log::

    {"time": "2026-12-02T10:40:09.123Z", "app": "<the app>", "request_id": "3f2a...",
     "method": "GET", "route": "/api/v1/members/<staff_no>/ledger",
     "path": "/api/v1/members/D0001/ledger", "status": 200, "duration_ms": 4.21,
     "caller": "terminal-1"}

``caller`` is who the request came from as far as this process knows: behind the gateway the
sender the gateway signed (``X-Sender``), at the gateway the authenticated caller once the
request got that far (a key's name or ``member:<staff_no>``). The gateway adds ``client``, the
address the request came from. ``ACCESS_LOG=off`` silences the log.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable

from flask import Flask, Response, g, request

from services.common.metrics import elapsed, route_label

LOGGER = "access"
# The header the gateway names the sender in (services.contracts.SENDER_HEADER; infrastructure
# imports no contract, and a test holds the two equal).
CALLER_HEADER = "X-Sender"
FIELDS = "access"  # the record attribute the line's fields travel in

Caller = Callable[[], str | None]
log = logging.getLogger(LOGGER)


class JsonFormatter(logging.Formatter):
    """A record's access fields as one JSON object, its time first (UTC, milliseconds)."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        fields = {"time": f"{stamp}.{int(record.msecs):03d}Z", **getattr(record, FIELDS, {})}
        return json.dumps(fields, ensure_ascii=False)


def sender() -> str | None:
    """The caller behind the gateway: the sender it signed into the request."""
    return request.headers.get(CALLER_HEADER)


def install(app: Flask, name: str, caller: Caller = sender, client_address: bool = False) -> None:
    """Log each answer of ``app`` as one JSON line; ``client_address`` adds the client's
    address (the gateway's: behind it, every request comes from the gateway)."""
    _handler_once()

    @app.after_request
    def _log_access(response: Response) -> Response:
        if log.isEnabledFor(logging.INFO):
            fields = line(name, response.status_code, caller(), client_address)
            # The record made directly: log.info() would walk the stack to find its caller,
            # a third of the line's cost, to name a place that is always this one.
            args = (request.method, request.path)
            extra = {FIELDS: fields}
            log.handle(
                log.makeRecord(LOGGER, logging.INFO, __file__, 0, "%s %s", args, None, extra=extra)
            )
        return response


def line(name: str, status: int, caller: str | None, client_address: bool) -> dict[str, object]:
    """The fields of one request's line, in the order they are written (after the time)."""
    fields: dict[str, object] = {
        "app": name,
        "request_id": g.get("request_id", ""),
        "method": request.method,
        "route": route_label(),
        "path": request.path,
        "status": status,
        "duration_ms": round(elapsed() * 1000, 2),
        "caller": caller,
    }
    if client_address:
        fields["client"] = request.remote_addr
    return fields


def _handler_once() -> None:
    """The lines alone on stderr, without the text prefix of the other logs, so that each one
    parses as JSON; set up once per process, however many apps it makes."""
    if log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
