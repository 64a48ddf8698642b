"""One rebuild run under the projection lock: drop what dead builds left, build aside from
the ledger (``build``), swap the boards in at once (``builder``) and, after a full rebuild,
copy the configuration back into Redis (it may have restarted empty). Its progress goes to
the RQ job's meta, where the admin API's job status reads it.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.lock import Lock
from rq import get_current_job

from services.leaderboard.config.mirror import restore_mirror
from services.leaderboard.connections import Context
from services.leaderboard.rebuild.build import Target, build
from services.leaderboard.rebuild.builder import BoardBuilder, drop_stale_builds

log = logging.getLogger(__name__)


def progress(**values: Any) -> None:
    """Record how far the running job got (nothing outside an RQ job)."""
    job = get_current_job()
    if job is not None:
        job.meta.update(values)
        job.save_meta()  # type: ignore[no-untyped-call]


def rebuild_boards(ctx: Context, lock: Lock, target: Target) -> dict[str, Any]:
    """Rebuild ``target`` from the ledger; what was built, for the job's result."""
    drop_stale_builds(ctx.redis)  # we hold the lock: any temporary key is a dead build's
    builder = BoardBuilder(ctx.redis, owns=None if target.everything else target.owns)
    try:
        read = build(builder, ctx.points, target, lock.reacquire, progress)
        progress(phase="swap", entries_read=read)
        epoch = builder.swap_in(lock.local.token)
    except BaseException:
        builder.discard()
        raise
    if target.everything:
        with ctx.database() as db:
            restore_mirror(ctx.redis, db)
    progress(phase="done", entries_read=read, boards=len(builder.boards))
    log.info("rebuilt %d boards from %d ledger entries", len(builder.boards), read)
    return {"epoch": epoch, "entries": read, "boards": len(builder.boards), **target.describe()}
