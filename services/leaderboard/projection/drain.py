"""The drain: page the points service's outbox onto the boards under the projection lock.

Each page is applied (``script.apply_batch``, exactly once), then acknowledged to the points
service, then its ids are released from ``lb:applied``; a crash between any two steps leaves
a state the next drain finishes without counting anything twice (see ``script``).
"""

from __future__ import annotations

from redis import Redis, RedisCluster
from redis.lock import Lock

from services.common.http import ServiceClient
from services.leaderboard.keys import LOCK
from services.leaderboard.projection.script import apply_batch, release_applied

OUTBOX_PAGE = 1000
# A drain first lets a burst gather: intake's requests during this pause find the pending flag
# still set and enqueue nothing, so one drain carries them all. At hundreds of single events
# a second a drain per event (a job, three calls to the points service) cost more CPU than
# the events; the pause adds at most this much to the projection lag.
GATHER_SECONDS = 0.05
# On a Redis Cluster, how long a page waits for the boards' replica to have it before it is
# acknowledged; a master with no replica left (just failed over) costs a page this much.
REPLICA_WAIT_MS = 500


def drain(redis: Redis, points: ServiceClient, lock: Lock) -> int:
    """Apply every row the outbox holds now; the number of entries applied."""
    token = lock.local.token
    applied = 0
    while True:
        lock.reacquire()  # a fresh TTL per page; raises if the lock was lost
        rows = points.get("/internal/v1/outbox", limit=OUTBOX_PAGE)["items"]
        if not rows:
            return applied
        entries = [row["entry"] for row in rows]
        applied += apply_batch(redis, entries, token)
        replicated(redis)
        # A crash here leaves the rows in the outbox and their ids in lb:applied: skipped.
        points.post("/internal/v1/outbox/ack", {"ids": [row["outbox_id"] for row in rows]})
        release_applied(redis, [entry["id"] for entry in entries], token)
        if len(rows) < OUTBOX_PAGE:
            # The outbox held no more: a row committed since asked for a drain of its own.
            return applied


def replicated(redis: Redis) -> int:
    """On a Cluster, wait until the replica of the boards' master has what it wrote: a master
    that died after the outbox was acknowledged would otherwise take the page with it (its
    replica, promoted, never saw it). Replicas that confirmed; 0 off a Cluster."""
    if not isinstance(redis, RedisCluster):
        return 0
    node = redis.get_node_from_key(LOCK)
    return int(redis.execute_command("WAIT", 1, REPLICA_WAIT_MS, target_nodes=node))
