"""Reports still waiting for their review past the deadline (REPORT_REVIEW_DAYS after their
submission) are escalated: flagged, and listed to the admins of their unit
(``GET /api/v1/reports/escalated``). The ticker asks for ``escalate_overdue`` every
REPORT_ESCALATION_INTERVAL seconds (services/leaderboard/ticker.py); a report escalated once
stays so until it is decided or a new round opens, so running it twice changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.common.db import Database, utcnow
from services.common.redis_client import redis_from_url
from services.contracts import ESCALATION_PENDING
from services.points.reports.models import Report
from services.points.reports.states import WAITING
from services.settings import Settings


def escalate(session: Session, days: int, now: datetime) -> int:
    """Flag every waiting report submitted more than ``days`` ago; how many were new."""
    due = now - timedelta(days=days)
    flagged = session.execute(
        update(Report)
        .where(
            Report.state.in_(WAITING),
            Report.escalated_at.is_(None),
            Report.submitted_at < due,
        )
        .values(escalated_at=now)
    )
    return int(getattr(flagged, "rowcount", 0) or 0)


def escalate_overdue() -> dict[str, Any]:
    """The RQ job (queue ``default``): escalate what is overdue now."""
    settings = Settings.from_env()
    redis_from_url(settings.redis_url).delete(ESCALATION_PENDING)
    db = Database(settings.database_url("points"), settings.db_lock_timeout)
    try:
        with db.write() as session:
            count = escalate(session, settings.report_review_days, utcnow())
    finally:
        db.dispose()
    return {"status": "ok", "escalated": count}
