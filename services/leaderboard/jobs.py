"""Background jobs of the leaderboard (RQ): plain functions, safe to run twice, each opening
its own connections. The points service enqueues them by dotted name.

- ``drain_projection`` (queue ``projection``): apply the points service's outbox to the boards.
- ``sync_member`` (queue ``projection``): keep a member's display name current.
- ``rebuild_all`` (queue ``default``): rebuild every board from the ledger.

Drains and rebuilds hold one lock (``lb:lock:projection``), so they never overlap; the Redis
writes check the lock themselves (see ``projection.py``) in case it expires mid-way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock
from rq import get_current_job

from services.common.config import Settings
from services.common.http import ServiceClient
from services.common.queues import PROJECTION_PENDING, request_projection
from services.common.redis_client import redis_from_url
from services.leaderboard.keys import EPOCH, LOCK, NAMES
from services.leaderboard.projection import (
    BoardBuilder,
    aggregate,
    apply_batch,
    drop_stale_builds,
    release_applied,
)

log = logging.getLogger(__name__)

LOCK_SECONDS = 60  # renewed on every page, so only a stuck holder ever loses it
LOCK_WAIT_SECONDS = 120
OUTBOX_PAGE = 1000
LEDGER_PAGE = 10_000
DIRECTORY_PAGE = 1000


@dataclass
class Context:
    redis: Redis
    points: ServiceClient


@contextmanager
def _context() -> Iterator[Context]:
    """Connections of one job run, closed after it (a non-forking worker lives on)."""
    settings = Settings.from_env()
    points = ServiceClient("points", settings.url_of("points"), timeout=settings.upstream_timeout)
    redis = redis_from_url(settings.redis_url)
    try:
        yield Context(redis, points)
    finally:
        redis.close()
        points.pool.clear()


def _lock(redis: Redis) -> Lock:
    # thread_local=False: the token is read back (lock.local.token) to pass to Lua checks.
    lock: Lock = redis.lock(
        LOCK, timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS, thread_local=False
    )
    return lock


def _release(lock: Lock) -> None:
    try:
        lock.release()
    except LockError:
        log.warning("projection lock had already expired when released")


def _progress(**values: Any) -> None:
    job = get_current_job()
    if job is not None:
        job.meta.update(values)
        job.save_meta()  # type: ignore[no-untyped-call]


def drain_projection() -> dict[str, Any]:
    """Apply every pending outbox row to the boards, rebuilding first if Redis lost them."""
    with _context() as ctx:
        # Cleared before reading the outbox: a row committed after this asks for a new drain.
        ctx.redis.delete(PROJECTION_PENDING)
        lock = _lock(ctx.redis)
        if not lock.acquire():
            # Another drain or rebuild holds the lock; make sure a drain runs after it.
            request_projection(ctx.redis)
            return {"status": "busy"}
        try:
            rebuilt = None
            if not ctx.redis.exists(EPOCH):
                log.warning("lb:epoch is missing: rebuilding every board before draining")
                rebuilt = _rebuild(ctx, lock)
            applied = _drain(ctx, lock)
        finally:
            _release(lock)
    return {"status": "ok", "applied": applied, "rebuilt": rebuilt}


def rebuild_all() -> dict[str, Any]:
    """Rebuild every board from the ledger, then apply what is still in the outbox."""
    with _context() as ctx:
        lock = _lock(ctx.redis)
        if not lock.acquire():
            raise RuntimeError("the projection lock stayed busy; the job will be retried")
        try:
            rebuilt = _rebuild(ctx, lock)
            applied = _drain(ctx, lock)
        finally:
            _release(lock)
    return {"status": "ok", "applied": applied, "rebuilt": rebuilt}


def sync_member(staff_no: str, name: str, active: bool) -> None:
    """Keep a member's display name current.

    Inactive members stay on the boards for now (removing them is a separate change); only
    their name is kept. A rebuild that read the directory before this ran may restore the
    old name until the next rename or rebuild.
    """
    if not name:
        return
    with _context() as ctx:
        ctx.redis.hset(NAMES, staff_no, name)


def _drain(ctx: Context, lock: Lock) -> int:
    token = lock.local.token
    applied = 0
    while True:
        lock.reacquire()  # a fresh TTL per page; raises if the lock was lost
        rows = ctx.points.get("/internal/v1/outbox", limit=OUTBOX_PAGE)["items"]
        if not rows:
            return applied
        entries = [row["entry"] for row in rows]
        applied += apply_batch(ctx.redis, entries, token)
        # A crash here leaves the rows in the outbox and their ids in lb:applied: skipped.
        ctx.points.post("/internal/v1/outbox/ack", {"ids": [row["outbox_id"] for row in rows]})
        release_applied(ctx.redis, [entry["id"] for entry in entries], token)


def _rebuild(ctx: Context, lock: Lock) -> dict[str, Any]:
    drop_stale_builds(ctx.redis)  # we hold the lock: any temporary key is a dead build's
    builder = BoardBuilder(ctx.redis)
    read = 0
    try:
        for entries in _settled_pages(ctx):
            lock.reacquire()
            boards, names = aggregate(entries)
            builder.add_points(boards)
            builder.add_names(names)
            read += len(entries)
            _progress(phase="ledger", entries_read=read)
        for members in _directory_pages(ctx):
            lock.reacquire()
            # Added after the ledger's names, so the directory's current names win.
            builder.add_names({m["staff_no"]: m["name"] for m in members})
        _progress(phase="swap", entries_read=read)
        epoch = builder.swap_in(lock.local.token)
    except BaseException:
        builder.discard()
        raise
    _progress(phase="done", entries_read=read, boards=len(builder.boards))
    log.info("rebuilt %d boards from %d ledger entries", len(builder.boards), read)
    return {"epoch": epoch, "entries": read, "boards": len(builder.boards)}


def _settled_pages(ctx: Context) -> Iterator[list[dict[str, Any]]]:
    after_id: int | None = 0
    while after_id is not None:
        page = ctx.points.get("/internal/v1/ledger/settled", after_id=after_id, limit=LEDGER_PAGE)
        if page["items"]:
            yield page["items"]
        after_id = page.get("next_after_id")


def _directory_pages(ctx: Context) -> Iterator[list[dict[str, Any]]]:
    after: str | None = ""
    while after is not None:
        page = ctx.points.get("/internal/v1/members/directory", after=after, limit=DIRECTORY_PAGE)
        if page["items"]:
            yield page["items"]
        after = page.get("next_after")
