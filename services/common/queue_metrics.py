"""``rq_jobs{queue,state}``: how many jobs each RQ queue holds, by state, read at each scrape
of /metrics (services.common.metrics.collect_at_scrape) in one round trip to Redis.

- ``queued``: waiting for a worker (the queue's length);
- ``started``: being run by a worker now;
- ``scheduled``: waiting for a later time (a failed job's retry waits its interval there);
- ``deferred``: waiting for another job to finish;
- ``failed``: failed for good (retries used up), kept for inspection (``failure_ttl``).

The registries are counted as they stand (ZCARD), without the clean-up RQ's own ``count``
runs first: a scrape writes nothing, and the workers clean the registries on their own. A
``queued`` count that keeps growing means no worker is taking jobs; ``failed`` that grows
means jobs fail past their retries. The names follow rq-exporter's, which dashboards know.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from redis import Redis

from services.common.queues import queue

STATES = ("queued", "started", "scheduled", "deferred", "failed")


class QueueLengths:
    def __init__(self, connection: Redis, names: Sequence[str]) -> None:
        self.connection = connection
        self.names = tuple(names)

    def collect(self) -> Iterator[Metric]:
        pipe = self.connection.pipeline(transaction=False)
        for name in self.names:
            q = queue(name, self.connection)
            pipe.llen(q.key)
            for registry in (
                q.started_job_registry,
                q.scheduled_job_registry,
                q.deferred_job_registry,
                q.failed_job_registry,
            ):
                pipe.zcard(registry.key)
        counts = iter(pipe.execute())
        family = GaugeMetricFamily(
            "rq_jobs", "Jobs in each RQ queue, by state.", labels=["queue", "state"]
        )
        for name in self.names:
            for state in STATES:
                family.add_metric([name, state], next(counts))
        yield family
