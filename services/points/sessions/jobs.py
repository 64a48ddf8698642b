"""The job that closes the study sessions due: those whose end was SESSION_CLOSE_AFTER minutes
ago or more, neither closed nor cancelled. The ticker asks for it every SESSION_CLOSE_INTERVAL
seconds (services/leaderboard/ticker.py); it runs in the platform's RQ worker, opening its own
connections, like every job.

Safe to run twice and in two workers at once: each session closes in its own transaction
under its row lock, and closing a closed session records nothing (``closing``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from services.common.db import Database, utcnow
from services.common.errors import ApiError
from services.common.http import ServiceClient
from services.common.redis_client import redis_from_url
from services.contracts import CLOSE_SESSIONS_PENDING, internal_signer, request_projection
from services.points.rules.published import RuleCache
from services.points.sessions import closing
from services.points.sessions.models import public_id
from services.settings import Settings

log = logging.getLogger(__name__)


def close_due() -> dict[str, Any]:
    return close_due_with(Settings.from_env())


def close_due_with(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    redis = redis_from_url(settings.redis_url)
    redis.delete(CLOSE_SESSIONS_PENDING)  # a session due after this is found by the next run
    signer = internal_signer(settings)
    rewards = ServiceClient(
        "rewards", settings.url_of("rewards"), settings.upstream_timeout, signer=signer
    )
    db = Database(settings.database_url("points"), settings.db_lock_timeout)
    closed: dict[str, Any] = {}
    try:
        with db.read() as session:
            due = closing.due(session, now, settings.session_close_after)
        book = RuleCache(rewards, 0).book() if due else None
        for study_id in due:
            assert book is not None
            try:
                with db.write() as session:
                    done = closing.close(session, study_id, book, settings.org_timezone, now)
            except ApiError as exc:  # cancelled meanwhile: nothing to close
                log.info("session %s not closed: %s", study_id, exc)
                continue
            closed[public_id(study_id)] = done
        if any(d["absent"] or d["excused"] for d in closed.values()):
            request_projection(redis)
    finally:
        db.dispose()
        redis.close()
        rewards.pool.clear()
    return {"status": "ok", "closed": closed}
