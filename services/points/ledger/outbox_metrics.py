"""The projection's backlog, read at each scrape of /metrics
(services.common.metrics.collect_at_scrape), in one query:

- ``points_outbox_depth``: ledger entries not yet on the leaderboards;
- ``points_projection_lag_seconds``: how long the oldest of them has waited (the age of its
  ledger entry), 0 when there is none.

The lag is the figure to alert on: every commit asks for a drain, which a worker runs within
a fraction of a second, and the ticker asks for one every ``PROJECTION_INTERVAL`` seconds, so
a lag past a few of those intervals means entries are not reaching the boards (no worker,
Redis refusing writes, the drain failing), however small the backlog. The depth says how much
is waiting, not for how long: a burst of events raises it for a moment and it is fine. The
distance in ids between the ledger's head and what the boards hold is no measure here: entries
reach the boards through the outbox, not in id order. One count and one minimum over a table
that is empty at rest cost nothing that matters."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from services.common.db import Database, utcnow
from services.points.models import LedgerEntry, ProjectionOutbox


class OutboxMetrics:
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        query = (
            select(func.count(), func.min(LedgerEntry.created_at))
            .select_from(ProjectionOutbox)
            .join(LedgerEntry, LedgerEntry.id == ProjectionOutbox.entry_id)
        )
        with self.db.read() as session:
            depth, oldest = session.execute(query).one()
        lag = max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "points_outbox_depth", "Ledger entries waiting to reach the leaderboards.", depth
        )
        yield GaugeMetricFamily(
            "points_projection_lag_seconds",
            "Age of the oldest ledger entry not yet on the leaderboards (0: none waiting).",
            lag,
        )
