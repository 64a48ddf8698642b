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
from services.common.redis_client import redis_from_url
from services.contracts import internal_signer
from services.settings import Settings


@dataclass
class Context:
    redis: Redis
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
    redis = redis_from_url(settings.redis_url)
    try:
        yield Context(redis, points, settings)
    finally:
        redis.close()
        points.pool.clear()
