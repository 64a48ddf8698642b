"""What one job run connects to: Redis, the points service and, when a job needs it, the
leaderboard's database; all opened for the run and closed after it, because a non-forking
worker lives on between jobs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from redis import Redis

from services.common.db import Database
from services.common.http import ServiceClient
from services.common.redis_client import boards_redis, redis_from_url
from services.contracts import internal_signer
from services.settings import Settings


@dataclass
class Context:
    redis: Redis  # the boards (a Redis Cluster when BOARDS_REDIS_CLUSTER_URL is set)
    queue: Redis  # the queues and their flags: always the plain REDIS_URL
    points: ServiceClient
    settings: Settings

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The leaderboard's database for the block, its pooled connections dropped after."""
        db = Database(self.settings.database_url("leaderboard"), self.settings.db_lock_timeout)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def job_context() -> Iterator[Context]:
    """The connections of one job run, from the environment's settings."""
    settings = Settings.from_env()
    points = ServiceClient(
        "points",
        settings.url_of("points"),
        timeout=settings.upstream_timeout,
        signer=internal_signer(settings),
    )
    queue = redis_from_url(settings.redis_url)
    # Unset: one client for both, as before the boards could move to a Cluster.
    cluster = settings.boards_redis_cluster_url
    redis = boards_redis(settings.redis_url, cluster) if cluster else queue
    try:
        yield Context(redis, queue, points, settings)
    finally:
        redis.close()
        queue.close()
        points.pool.clear()
