"""What the views need from the app: the database, Redis, rules, and the caller's identity."""

from __future__ import annotations

import logging

from flask import current_app, request
from redis import Redis
from redis.exceptions import RedisError

from services.common.queues import enqueue_many
from services.contracts import (
    KEY_EVENT_TYPES_HEADER,
    KEY_UNITS_HEADER,
    PROJECTION,
    SENDER_HEADER,
    SYNC_MEMBER_JOB,
    request_projection,
)
from services.points.intake.limits import Limits
from services.points.rules.published import RuleCache
from services.settings import Settings

log = logging.getLogger(__name__)


def sender() -> str:
    """The API key's name, set by the gateway; 'direct' for calls that bypass it (tests, tools)."""
    return request.headers.get(SENDER_HEADER, "direct")


def key_limits() -> Limits:
    """The calling key's limits, set by the gateway (signed, so no client can widen them)."""
    headers = request.headers
    return Limits.from_headers(
        headers.get(KEY_EVENT_TYPES_HEADER, ""), headers.get(KEY_UNITS_HEADER, "")
    )


def platform_settings() -> Settings:
    """The platform's settings (the app was made with them), with the parts' own fields."""
    value: Settings = current_app.config["SETTINGS"]
    return value


def rules() -> RuleCache:
    cache: RuleCache = current_app.extensions["rules"]
    return cache


def _redis() -> Redis:
    client: Redis = current_app.extensions["redis"]
    return client


def ask_for_projection() -> None:
    """After a commit: the ledger already holds the truth, so a Redis outage must not fail the
    request. The ticker's periodic drain projects whatever this call could not announce."""
    try:
        request_projection(_redis())
    except RedisError as exc:
        log.warning("could not request projection (the periodic drain will): %s", exc)


def announce_member(staff_no: str, name: str, active: bool) -> None:
    announce_members([(staff_no, name, active)])


def announce_members(members: list[tuple[str, str, bool]]) -> None:
    """After a commit: the boards hear of each changed member (staff_no, name, active); a
    Redis outage must not fail the request, whose change is already committed."""
    if not members:
        return
    try:
        enqueue_many(_redis(), SYNC_MEMBER_JOB, members, queue_name=PROJECTION)
    except RedisError as exc:
        log.warning("could not announce %d member(s) (a rebuild will): %s", len(members), exc)
