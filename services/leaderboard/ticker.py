"""python -m services.leaderboard.ticker: the periodic safety net for projection.

Every PROJECTION_INTERVAL seconds it asks for a drain (a no-op while one is already pending),
so entries whose drain request was lost (Redis down at commit time, a crash, a restart that
emptied the queues) are projected anyway, and a Redis that came back empty is rebuilt.
A loop of our own rather than a cron scheduler: the one RQ ships enqueues with pickle, and our
workers read JSON.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType

from redis.exceptions import RedisError

from services.common.config import Settings
from services.common.queues import request_projection
from services.common.redis_client import redis_from_url

log = logging.getLogger("ticker")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = Settings.from_env()
    redis = redis_from_url(settings.redis_url)
    running = True

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("asking for a projection drain every %ss", settings.projection_interval)
    while running:
        try:
            request_projection(redis)
        except RedisError as exc:
            log.warning("redis unavailable, will retry: %s", exc)
        deadline = time.monotonic() + settings.projection_interval
        while running and time.monotonic() < deadline:
            time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
