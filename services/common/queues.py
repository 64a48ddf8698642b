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
# How long the flag holds new requests back. A drain whose worker died before it cleared the
# flag (it first waits to gather a burst) stalls projection this long at most, until the next
# request or the ticker enqueues another; a queued drain that outlives the flag only costs a
# duplicate drain, which finds little to do.
PENDING_SECONDS = 10


def request_projection(connection: Redis) -> bool:
    """Ask for a drain of the projection outbox, unless one is already waiting.

    The drain clears the flag *before* it reads the outbox, so anything committed before this
    call is either read by a drain that is waiting now or triggers a new one. The flag expires
    (``PENDING_SECONDS``) so that a lost job never blocks projection for long (the ticker also
    asks for drains).
    Returns True when a job was enqueued.
    """
    if not connection.set(PROJECTION_PENDING, "1", nx=True, ex=PENDING_SECONDS):
        return False
    enqueue(connection, DRAIN_JOB, queue_name=PROJECTION, timeout=600, retries=5)
    return True
