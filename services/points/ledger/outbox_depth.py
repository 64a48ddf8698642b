"""``points_outbox_depth``: ledger entries not yet on the leaderboards, read at each scrape of
/metrics (services.common.metrics.collect_at_scrape). A depth that keeps growing means the
projection is stuck; one count of a small table per scrape costs nothing that matters."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from services.common.db import Database
from services.points.models import ProjectionOutbox


class OutboxDepth:
    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        with self.db.read() as session:
            depth = session.scalar(select(func.count()).select_from(ProjectionOutbox)) or 0
        yield GaugeMetricFamily(
            "points_outbox_depth", "Ledger entries waiting to reach the leaderboards.", depth
        )
