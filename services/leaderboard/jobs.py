"""Background jobs of the leaderboard (RQ): plain functions, safe to run twice, each opening
its own connections. The points service and the ticker enqueue them by dotted name.

- ``drain_projection`` (queue ``projection``): apply the points service's outbox to the boards.
- ``sync_member`` (queue ``projection``): keep a member's name, state and unit current.
- ``rebuild`` (queue ``default``): rebuild everything, one period or one board from the ledger.
- ``verify`` (queue ``default``): compare every board with the ledger; optionally repair.
- ``close_periods`` (queue ``default``): archive closed periods, then let short ones expire.

Drains, rebuilds, verifies and archiving hold one lock (``lb:lock:projection``), so they never
overlap; the Redis writes check the lock themselves (see ``projection.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock
from rq import get_current_job

from services.common.calendar import period_key, today
from services.common.db import Database
from services.common.http import ServiceClient
from services.common.redis_client import redis_from_url
from services.contracts import PROJECTION_PENDING, request_projection
from services.leaderboard.archive import closing as archive
from services.leaderboard.config.groups import load_config
from services.leaderboard.config.mirror import write_config
from services.leaderboard.keys import ARCHIVE_PENDING, EPOCH, INACTIVE, LOCK, NAMES, UNITS
from services.leaderboard.projection.script import apply_batch, release_applied
from services.leaderboard.rebuild import verification
from services.leaderboard.rebuild.build import Target, build
from services.leaderboard.rebuild.builder import BoardBuilder, drop_stale_builds
from services.settings import Settings

log = logging.getLogger(__name__)

# Renewed on every page (a page waits at most UPSTREAM_TIMEOUT for the points service) and
# every few derivation steps, so only a stuck holder loses it; and a worker killed while
# holding it stalls projection for this long at most.
LOCK_SECONDS = 20
LOCK_WAIT_SECONDS = 120
OUTBOX_PAGE = 1000
# A drain first lets a burst gather: intake's requests during this pause find the pending flag
# still set and enqueue nothing, so one drain carries them all. At hundreds of single events
# a second a drain per event (a job, three calls to the points service) cost more CPU than
# the events; the pause adds at most this much to the projection lag.
GATHER_SECONDS = 0.05


@dataclass
class Context:
    redis: Redis
    points: ServiceClient
    settings: Settings

    def database(self) -> Database:
        return Database(self.settings.database_url("leaderboard"), self.settings.db_lock_timeout)


@contextmanager
def _context() -> Iterator[Context]:
    """Connections of one job run, closed after it (a non-forking worker lives on)."""
    settings = Settings.from_env()
    points = ServiceClient("points", settings.url_of("points"), timeout=settings.upstream_timeout)
    redis = redis_from_url(settings.redis_url)
    try:
        yield Context(redis, points, settings)
    finally:
        redis.close()
        points.pool.clear()


def _lock(redis: Redis) -> Lock:
    # thread_local=False: the token is read back (lock.local.token) to pass to Lua checks.
    lock: Lock = redis.lock(
        LOCK, timeout=LOCK_SECONDS, blocking_timeout=LOCK_WAIT_SECONDS, thread_local=False
    )
    return lock


class Busy(RuntimeError):
    """The projection lock stayed busy; a retried job tries again."""


@contextmanager
def _locked(ctx: Context) -> Iterator[Lock]:
    lock = _lock(ctx.redis)
    if not lock.acquire():
        raise Busy("the projection lock stayed busy; the job will be retried")
    try:
        yield lock
    finally:
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
    time.sleep(GATHER_SECONDS)
    with _context() as ctx:
        # Cleared before reading the outbox: a row committed after this asks for a new drain.
        ctx.redis.delete(PROJECTION_PENDING)
        try:
            with _locked(ctx) as lock:
                rebuilt = None
                if not ctx.redis.exists(EPOCH):
                    log.warning("lb:epoch is missing: rebuilding every board before draining")
                    rebuilt = _rebuild(ctx, lock, Target())
                applied = _drain(ctx, lock)
        except Busy:
            request_projection(ctx.redis)  # another holder: make sure a drain runs after it
            return {"status": "busy"}
    return {"status": "ok", "applied": applied, "rebuilt": rebuilt}


def rebuild(
    scope: str | None = None,
    period: str | None = None,
    at: str | None = None,
    category: str | None = None,
) -> dict[str, Any]:
    """Rebuild from the ledger: everything (no arguments), one period (``period`` and
    ``at``), or one board (``scope``, ``period``, ``at`` and ``category``); then drain."""
    day = date.fromisoformat(at) if at else None
    key = period_key(period, day) if period and day else ("all" if period == "all" else None)
    target = Target(scope, period, key, category, day)
    with _context() as ctx, _locked(ctx) as lock:
        if not target.everything:
            _drain(ctx, lock)  # see rebuild.py: live boards then hold settled entries only
        rebuilt = _rebuild(ctx, lock, target)
        applied = _drain(ctx, lock)
    return {"status": "ok", "applied": applied, "rebuilt": rebuilt}


def rebuild_all() -> dict[str, Any]:
    """Rebuild every board from the ledger, then apply what is still in the outbox."""
    return rebuild()


def verify(repair: bool = False) -> dict[str, Any]:
    """Compare every board and activity set with the ledger; with ``repair``, replace the
    boards that drifted by their rebuilt versions (at once, as a rebuild would)."""
    with _context() as ctx, _locked(ctx) as lock:
        _drain(ctx, lock)
        day = today(ctx.settings.org_timezone)
        report = verification.verify(ctx.redis, ctx.points, lock, repair, _progress, day)
        _drain(ctx, lock)
    _progress(phase="done", **{k: v for k, v in report.items() if k != "drifted"})
    return report


def close_periods(today_iso: str | None = None) -> dict[str, Any]:
    """Archive every closed week, month, quarter and year board not archived yet, then set
    the documented expiry on day and week keys (archive.py)."""
    with _context() as ctx:
        ctx.redis.delete(ARCHIVE_PENDING)
        day = date.fromisoformat(today_iso) if today_iso else today(ctx.settings.org_timezone)
        db = ctx.database()
        try:
            with _locked(ctx) as lock:
                _drain(ctx, lock)
                archived = archive.archive_closed(ctx.redis, db, day, lock.reacquire)
            expiring = archive.expire_closed(ctx.redis, day)
        finally:
            db.dispose()
    return {"status": "ok", "archived": archived, "expiring": expiring}


def sync_member(staff_no: str, name: str, active: bool) -> None:
    """Keep a member's name, state (inactive members leave the boards, their ledger stays)
    and current unit (for team standings) as the points service has them now.

    The points service's current record wins over the arguments, so jobs that run out of
    order still leave the latest state; the arguments are used only if it cannot be read.
    A rebuild that read the directory before this ran may restore the old values until the
    next change or rebuild.
    """
    with _context() as ctx:
        unit_path: list[str] | None = None
        try:
            member = ctx.points.get(f"/internal/v1/members/{staff_no}/placement")
            name, active, unit_path = member["name"], member["active"], member["unit_path"]
        except Exception as exc:  # noqa: BLE001 - the arguments are the fallback
            log.warning("could not read member %s from the points service: %s", staff_no, exc)
        pipe = ctx.redis.pipeline()
        if name:
            pipe.hset(NAMES, staff_no, name)
        if active:
            pipe.srem(INACTIVE, staff_no)
        else:
            pipe.sadd(INACTIVE, staff_no)
        if unit_path is not None:
            pipe.hset(UNITS, staff_no, "/".join(unit_path))
        pipe.execute()


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
        if len(rows) < OUTBOX_PAGE:
            # The outbox held no more: a row committed since asked for a drain of its own.
            return applied


def _rebuild(ctx: Context, lock: Lock, target: Target) -> dict[str, Any]:
    drop_stale_builds(ctx.redis)  # we hold the lock: any temporary key is a dead build's
    builder = BoardBuilder(ctx.redis, owns=None if target.everything else target.owns)
    try:
        read = build(builder, ctx.points, target, lock.reacquire, _progress)
        _progress(phase="swap", entries_read=read)
        epoch = builder.swap_in(lock.local.token)
    except BaseException:
        builder.discard()
        raise
    if target.everything:
        _mirror_config(ctx)
    _progress(phase="done", entries_read=read, boards=len(builder.boards))
    log.info("rebuilt %d boards from %d ledger entries", len(builder.boards), read)
    return {"epoch": epoch, "entries": read, "boards": len(builder.boards), **target.describe()}


def _mirror_config(ctx: Context) -> None:
    """Groups, exclusions and settings back into Redis (it may have restarted empty). Reads
    reload them too when missing, so a database outage here must not fail the drain."""
    db = ctx.database()
    try:
        with db.read() as session:
            write_config(ctx.redis, load_config(session))
    except Exception as exc:  # noqa: BLE001 - see above
        log.warning("could not mirror the leaderboard configuration: %s", exc)
    finally:
        db.dispose()
