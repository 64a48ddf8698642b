"""Prometheus metrics of a web process: request counts and latencies, and ``GET /metrics``.

Every request is counted and timed by its route (the URL rule, ``/api/v1/units/<code>``, never
the raw path, so ids never become label values), method and status, under ``app``, the Flask
app that answered (the gateway runs some services' apps in its own process).

Under gunicorn every worker is its own process: with ``PROMETHEUS_MULTIPROC_DIR`` set (the
platform gives each process group a private directory under ``VAR_DIR/metrics``, emptied when
the group starts: deploy/processes.py, deploy/gunicorn.conf.py) each worker writes its samples
to files there, and whichever worker answers a scrape adds up every worker's files. Without
it (a test client, ``flask run``) the samples live in the process. prometheus_client picks
the mode when it is first imported, so nothing imports it before the variable is set.

``/metrics`` is a plain route, not in the OpenAPI document: it is for the machine's scraper,
not for clients. Behind the gateway it is an open path like ``/readyz``
(services.common.internal_only): services listen on ``SERVICE_HOST``, loopback by default, so
only the machine itself reaches it. The gateway's faces the network and passes a ``guard``
that refuses all but an organisation admin.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric

from services.common.private import private_dir

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
PATH = "/metrics"
EXTENSION = "metrics"
UNMATCHED = "<unmatched>"  # the route label of a request no rule matched (a 404)
STARTED = "_observed_since"
log = logging.getLogger(__name__)
# Latencies here run from a millisecond (a cached read) to seconds (a large batch).
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LABELS = ["app", "route", "method", "status"]

REQUESTS = Counter(
    "http_requests_total", "Requests answered, by app, route (URL rule), method and status.", LABELS
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time from the app's first hook to its answer, by app, route, method and status.",
    LABELS,
    buckets=BUCKETS,
)

Collector = Any  # anything with collect() -> Iterable[Metric], as prometheus_client takes
Guard = Callable[[], None]  # raises an ApiError to refuse the scrape


class _State:
    def __init__(self, guard: Guard | None) -> None:
        self.guard = guard
        self.collectors: list[Collector] = []


class _Scrape:
    """What one scrape exports: the request metrics (every worker's in multiprocess mode)
    and the app's scrape-time collectors, each read by the worker answering."""

    def __init__(self, collectors: Iterable[Collector]) -> None:
        self.collectors = list(collectors)

    def collect(self) -> Iterator[Metric]:
        if multiproc_dir() is not None:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            yield from registry.collect()
        else:
            yield from REGISTRY.collect()
        for collector in self.collectors:
            try:
                yield from collector.collect()
            except Exception as exc:  # a store down must not hide the other figures
                log.warning("metrics: %s failed: %s", type(collector).__name__, exc)


def install(app: Flask, name: str, guard: Guard | None = None) -> None:
    """Count and time every request of ``app`` and serve ``GET /metrics``.

    Call before any hook that may answer early (the signature check): Flask skips the later
    ``before_request`` hooks once one answers, and a refusal must be timed too.
    """
    app.extensions[EXTENSION] = _State(guard)
    app.add_url_rule(PATH, "metrics", scrape)

    @app.before_request
    def _start_clock() -> None:
        setattr(g, STARTED, time.perf_counter())

    @app.after_request
    def _count(response: Response) -> Response:
        labels = (name, route_label(), request.method, str(response.status_code))
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(elapsed())
        return response


def scrape() -> Response:
    """This process's metrics (every worker's, summed), in Prometheus's text format."""
    state: _State = current_app.extensions[EXTENSION]
    if state.guard is not None:
        state.guard()
    return Response(generate_latest(_Scrape(state.collectors)), mimetype=CONTENT_TYPE_LATEST)


def collect_at_scrape(app: Flask, collector: Collector) -> None:
    """Add a collector read at every scrape of ``app``'s /metrics (gauges of stores)."""
    app.extensions[EXTENSION].collectors.append(collector)


def route_label() -> str:
    """The request's route: what the app named it (``g.route``: the gateway names a proxied
    request by its routing-table row), else its URL rule, else ``UNMATCHED``."""
    named = g.get("route")
    if named:
        return str(named)
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def elapsed() -> float:
    """Seconds since the request's first hook (0 if it never ran)."""
    started = g.get(STARTED)
    return time.perf_counter() - started if started is not None else 0.0


def multiproc_dir() -> str | None:
    """The directory of multiprocess mode, or None: the variable prometheus_client reads."""
    return os.environ.get(MULTIPROC_VARIABLE) or None


def fresh_multiproc_dir(path: Path) -> Path:
    """``path`` made private and emptied of an earlier run's samples (before any worker
    starts: files left by dead workers would be added to the new run's counts)."""
    private_dir(path)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)
    return path
