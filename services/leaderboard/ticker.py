"""python -m services.leaderboard.ticker: the periodic safety net for projection.

Every PROJECTION_INTERVAL seconds it asks for a drain (a no-op while one is already pending),
so entries whose drain request was lost (Redis down at commit time, a crash, a restart that
emptied the queues) are projected anyway, and a Redis that came back empty is rebuilt.
Every ARCHIVE_INTERVAL seconds (default 3600) it also asks for ``jobs.close_periods``, which
archives closed periods and sets the expiry of short-period keys (see archive.py), every
SESSION_CLOSE_INTERVAL seconds the points service's job that closes the study sessions due
(a set time after their end: services/points/sessions/jobs.py), and every
REPORT_ESCALATION_INTERVAL seconds the points service's escalation of practice reports past
their review deadline (services/points/reports/escalation.py), and every DELIVERY_INTERVAL
seconds the points service's sweep of outbound deliveries due, new ones and retries
(services/points/delivery/sweep.py).
A loop of our own rather than a cron scheduler: the one RQ ships enqueues with pickle, and our
workers read JSON.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError

from services.common.queues import enqueue
from services.common.redis_client import redis_from_url
from services.contracts import (
    CLOSE_PERIODS_JOB,
    CLOSE_SESSIONS_JOB,
    CLOSE_SESSIONS_PENDING,
    DEFAULT,
    ESCALATE_REPORTS_JOB,
    ESCALATION_PENDING,
    request_delivery,
    request_projection,
)
from services.leaderboard.keys import ARCHIVE_PENDING
from services.settings import Settings

log = logging.getLogger("ticker")


def request_archiving(redis: Redis, interval: int) -> bool:
    """Enqueue close_periods unless one is waiting (the job clears the flag as it starts)."""
    if not redis.set(ARCHIVE_PENDING, "1", nx=True, ex=2 * interval):
        return False
    enqueue(redis, CLOSE_PERIODS_JOB, queue_name=DEFAULT, timeout=3600, retries=3)
    return True


def request_session_closing(redis: Redis, interval: int) -> bool:
    """Enqueue the closing of due sessions unless one is waiting (the job clears the flag)."""
    if not redis.set(CLOSE_SESSIONS_PENDING, "1", nx=True, ex=2 * interval):
        return False
    enqueue(redis, CLOSE_SESSIONS_JOB, queue_name=DEFAULT, timeout=600, retries=3)
    return True


def request_escalation(redis: Redis, interval: int) -> bool:
    """Enqueue the escalation of overdue practice reports unless one is waiting."""
    if not redis.set(ESCALATION_PENDING, "1", nx=True, ex=2 * interval):
        return False
    enqueue(redis, ESCALATE_REPORTS_JOB, queue_name=DEFAULT, timeout=600, retries=3)
    return True


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
    next_archive = next_closing = next_escalation = next_delivery = time.monotonic()
    while running:
        try:
            request_projection(redis)
            if time.monotonic() >= next_archive:
                request_archiving(redis, settings.archive_interval)
                next_archive = time.monotonic() + settings.archive_interval
            if time.monotonic() >= next_closing:
                request_session_closing(redis, settings.session_close_interval)
                next_closing = time.monotonic() + settings.session_close_interval
            if time.monotonic() >= next_escalation:
                request_escalation(redis, settings.report_escalation_interval)
                next_escalation = time.monotonic() + settings.report_escalation_interval
            if time.monotonic() >= next_delivery:
                request_delivery(redis, 2 * settings.delivery_interval)
                next_delivery = time.monotonic() + settings.delivery_interval
        except RedisError as exc:
            log.warning("redis unavailable, will retry: %s", exc)
        deadline = time.monotonic() + settings.projection_interval
        while running and time.monotonic() < deadline:
            time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
