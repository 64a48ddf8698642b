"""Background jobs of the leaderboard (RQ): plain functions, safe to run twice, each opening
its own connections (``connections``). The points service and the ticker enqueue them by
dotted name (``services.contracts``).

- ``drain_projection`` (queue ``projection``): apply the points service's outbox to the boards.
- ``sync_member`` (queue ``projection``): keep a member's name, state and unit current.
- ``rebuild`` (queue ``default``): rebuild everything, one period or one board from the ledger.
- ``verify`` (queue ``default``): compare every board with the ledger; optionally repair.
- ``close_periods`` (queue ``default``): archive closed periods, then let short ones expire.

Drains, rebuilds, verifies and archiving hold one lock (``projection.lock``), so they never
overlap; the Redis writes check the lock themselves (``projection.script``). The drain loop is
``projection.drain``, a rebuild run ``rebuild.run``.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from services.common.calendar import period_key, today
from services.contracts import PROJECTION_PENDING, request_projection
from services.leaderboard.archive import closing as archive
from services.leaderboard.connections import job_context
from services.leaderboard.keys import (
    ARCHIVE_PENDING,
    DIRECTORY_VERSION,
    EPOCH,
    INACTIVE,
    NAMES,
    UNITS,
)
from services.leaderboard.projection.drain import GATHER_SECONDS, drain
from services.leaderboard.projection.lock import Busy, locked
from services.leaderboard.rebuild import verification
from services.leaderboard.rebuild.build import Target
from services.leaderboard.rebuild.run import progress, rebuild_boards

log = logging.getLogger(__name__)


def drain_projection() -> dict[str, Any]:
    """Apply every pending outbox row to the boards, rebuilding first if Redis lost them."""
    time.sleep(GATHER_SECONDS)
    with job_context() as ctx:
        # Cleared before reading the outbox: a row committed after this asks for a new drain.
        ctx.queue.delete(PROJECTION_PENDING)
        try:
            with locked(ctx.redis) as lock:
                rebuilt = None
                if not ctx.redis.exists(EPOCH):
                    log.warning("lb:epoch is missing: rebuilding every board before draining")
                    rebuilt = rebuild_boards(ctx, lock, Target())
                applied = drain(ctx.redis, ctx.points, lock)
        except Busy:
            request_projection(ctx.queue)  # another holder: make sure a drain runs after it
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
    with job_context() as ctx, locked(ctx.redis) as lock:
        if not target.everything:
            # Live boards then hold settled entries only (see rebuild/build.py).
            drain(ctx.redis, ctx.points, lock)
        rebuilt = rebuild_boards(ctx, lock, target)
        applied = drain(ctx.redis, ctx.points, lock)
    return {"status": "ok", "applied": applied, "rebuilt": rebuilt}


def rebuild_all() -> dict[str, Any]:
    """Rebuild every board from the ledger, then apply what is still in the outbox."""
    return rebuild()


def verify(repair: bool = False) -> dict[str, Any]:
    """Compare every board and activity set with the ledger; with ``repair``, replace the
    boards that drifted by their rebuilt versions (at once, as a rebuild would)."""
    with job_context() as ctx, locked(ctx.redis) as lock:
        drain(ctx.redis, ctx.points, lock)
        day = today(ctx.settings.org_timezone)
        report = verification.verify(ctx.redis, ctx.points, lock, repair, progress, day)
        drain(ctx.redis, ctx.points, lock)
    progress(phase="done", **{k: v for k, v in report.items() if k != "drifted"})
    return report


def close_periods(today_iso: str | None = None) -> dict[str, Any]:
    """Archive every closed week, month, quarter and year board not archived yet, then set
    the documented expiry on day and week keys (archive/closing.py)."""
    with job_context() as ctx:
        ctx.queue.delete(ARCHIVE_PENDING)
        day = date.fromisoformat(today_iso) if today_iso else today(ctx.settings.org_timezone)
        with ctx.database() as db:
            with locked(ctx.redis) as lock:
                drain(ctx.redis, ctx.points, lock)
                archived = archive.archive_closed(ctx.redis, db, day, lock.reacquire)
            expiring = archive.expire_closed(ctx.redis, day)
    return {"status": "ok", "archived": archived, "expiring": expiring}


def sync_member(staff_no: str, name: str, active: bool) -> None:
    """Keep a member's name, state (inactive members leave the boards, their ledger stays)
    and current unit (for team standings) as the points service has them now.

    The points service's current record wins over the arguments, so jobs that run out of
    order still leave the latest state; the arguments are used only if it cannot be read.
    A rebuild that read the directory before this ran may restore the old values until the
    next change or rebuild.
    """
    with job_context() as ctx:
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
        pipe.incr(DIRECTORY_VERSION)  # team standings shared across workers are out of date
        pipe.execute()
