"""Enqueueing background work by dotted name, so a service never imports another's modules.

Jobs are plain importable functions that take ids, are safe to run twice and open their own
connections; they are serialised as JSON.
"""

from __future__ import annotations

from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

PROJECTION = "projection"  # ledger entries into leaderboards; must stay short and fast
DEFAULT = "default"  # everything else (rebuilds, exports, webhooks)
QUEUES = (PROJECTION, DEFAULT)


def queue(name: str, connection: Redis) -> Queue:
    return Queue(name, connection=connection, serializer=JSONSerializer)


def enqueue(
    connection: Redis,
    func: str,
    *args: Any,
    queue_name: str = DEFAULT,
    timeout: int = 300,
    retries: int = 3,
    job_id: str | None = None,
) -> Job:
    return queue(queue_name, connection).enqueue(
        func,
        *args,
        job_timeout=timeout,
        retry=Retry(max=retries, interval=[1, 5, 15]) if retries else None,
        job_id=job_id,
        result_ttl=300,
        failure_ttl=7 * 24 * 3600,
    )


PROJECTION_PENDING = "lb:projection:pending"
DRAIN_JOB = "services.leaderboard.jobs.drain_projection"


def request_projection(connection: Redis) -> bool:
    """Ask for a drain of the projection outbox, unless one is already waiting.

    The drain clears the flag *before* it reads the outbox, so anything committed before this
    call is either read by a drain that is waiting now or triggers a new one. The flag expires
    so that a lost job can never block projection for good (the ticker also asks for drains).
    Returns True when a job was enqueued.
    """
    if not connection.set(PROJECTION_PENDING, "1", nx=True, ex=120):
        return False
    enqueue(connection, DRAIN_JOB, queue_name=PROJECTION, timeout=600, retries=5)
    return True
