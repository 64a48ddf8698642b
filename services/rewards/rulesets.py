"""Rule sets: reading versions and publishing new ones. Callers own the session.

Two promises the points service relies on:

- A published version never changes, and versions are numbered 1, 2, 3, ... in publishing order.
- The past is fixed: a version never takes effect before the moment it is published, so the
  set in force at any past instant never changes after the fact and an event is priced the same
  whenever it arrives. Changing how past events are priced is re-scoring, a separate action.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from services.common.calendar import utc
from services.common.db import utcnow
from services.common.errors import NotFound, Unprocessable
from services.rewards.models import PUBLISHED, RuleSet


def _published() -> Select[tuple[RuleSet]]:
    return select(RuleSet).where(RuleSet.status == PUBLISHED)


def newest_first(session: Session) -> Sequence[RuleSet]:
    return session.scalars(_published().order_by(RuleSet.version.desc())).all()


def oldest_first(session: Session) -> Sequence[RuleSet]:
    """By ``effective_from`` then version: the last one at or before an instant is in force."""
    stmt = _published().order_by(RuleSet.effective_from, RuleSet.version)
    return session.scalars(stmt).all()


def get_version(session: Session, version: int) -> RuleSet:
    rule_set = session.scalars(_published().where(RuleSet.version == version)).first()
    if rule_set is None:
        raise NotFound(f"There is no rule set version {version}.")
    return rule_set


def in_force(session: Session, at: datetime) -> RuleSet:
    """The set that prices an event at ``at`` (the earliest set if ``at`` predates them all)."""
    latest = RuleSet.effective_from.desc(), RuleSet.version.desc()
    stmt = _published().where(RuleSet.effective_from <= at).order_by(*latest).limit(1)
    rule_set = session.scalars(stmt).first()
    if rule_set is None:
        first = RuleSet.effective_from.asc(), RuleSet.version.asc()
        rule_set = session.scalars(_published().order_by(*first).limit(1)).first()
    if rule_set is None:
        raise NotFound("No rule set has been published.")
    return rule_set


def publish(
    session: Session,
    *,
    name: str,
    document: dict[str, Any],
    effective_from: datetime | None = None,
    notes: str | None = None,
    published_by: str | None = None,
    now: datetime | None = None,
    row: RuleSet | None = None,
) -> RuleSet:
    """Publish ``document`` (already validated by DocumentSchema) as the next version; ``row``
    is the draft that becomes it, when there is one."""
    now = now or utcnow()
    # In UTC from here on, so the answer to this request reads like every later read.
    effective_from = utc(effective_from) if effective_from else now
    if effective_from < now:
        message = "Must not be in the past: omit it to publish now."
        raise Unprocessable(errors={"json": {"effective_from": [message]}})
    _lock_versions(session)
    version = (session.scalar(select(func.max(RuleSet.version))) or 0) + 1
    rule_set = row or RuleSet(created_at=now, created_by=published_by)
    rule_set.version = version
    rule_set.name = name
    rule_set.status = PUBLISHED
    rule_set.document = document
    rule_set.effective_from = effective_from
    rule_set.published_at = now
    rule_set.published_by = published_by[:200] if published_by else None
    rule_set.notes = notes
    rule_set.updated_at = now
    session.add(rule_set)
    session.flush()
    return rule_set


def _lock_versions(session: Session) -> None:
    """Let one publisher at a time read max(version), so two never take the same number.

    SQLite already serialises writers (the write session begins IMMEDIATE). On PostgreSQL this
    lock conflicts only with itself and with writes, never with reads; the unique constraint on
    ``version`` stays as the last line of defence.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE rewards_rule_sets IN SHARE ROW EXCLUSIVE MODE"))
