"""Enqueueing background work by dotted name, so a service never imports another's modules.
Queue and job names are contracts between services: ``services.contracts``.

Jobs are plain importable functions that take ids, are safe to run twice and open their own
connections; they are serialised as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer


def queue(name: str, connection: Redis) -> Queue:
    return Queue(name, connection=connection, serializer=JSONSerializer)


def enqueue(
    connection: Redis,
    func: str,
    *args: Any,
    queue_name: str,
    timeout: int = 300,
    retries: int = 3,
    job_id: str | None = None,
) -> Job:
    return queue(queue_name, connection).enqueue(
        func,
        *args,
        job_timeout=timeout,
        retry=_retry(retries),
        job_id=job_id,
        result_ttl=300,
        failure_ttl=7 * 24 * 3600,
    )


def enqueue_many(
    connection: Redis,
    func: str,
    calls: Sequence[tuple[Any, ...]],
    *,
    queue_name: str,
    timeout: int = 300,
    retries: int = 3,
) -> list[Job]:
    """One job per arguments tuple, sent in one pipeline: thousands (a roster import's
    members) cost one round trip instead of several each."""
    jobs = queue(queue_name, connection)
    data = [
        Queue.prepare_data(
            func,
            args=args,
            timeout=timeout,
            retry=_retry(retries),
            result_ttl=300,
            failure_ttl=7 * 24 * 3600,
        )
        for args in calls
    ]
    with connection.pipeline() as pipe:
        enqueued = jobs.enqueue_many(data, pipeline=pipe)
        pipe.execute()
    return enqueued


def _retry(retries: int) -> Retry | None:
    return Retry(max=retries, interval=[1, 5, 15]) if retries else None
