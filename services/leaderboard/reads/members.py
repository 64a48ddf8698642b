"""What the projection knows of one member beyond their boards: the scopes they belong to."""

from __future__ import annotations

from redis import Redis

from services.common.redis_client import sync, text
from services.leaderboard.keys import GROUPS, UNITS, group_key, unit_scope


def member_scopes(redis: Redis, staff_no: str) -> list[str]:
    """org, every unit on the member's current path, and every group they are in."""
    path = (text(sync(redis.hget(UNITS, staff_no))) or "").split("/")
    groups = sorted(text(code) or "" for code in sync(redis.smembers(GROUPS)))
    pipe = redis.pipeline()
    for code in groups:
        pipe.sismember(group_key(code), staff_no)
    mine = [code for code, inside in zip(groups, pipe.execute(), strict=True) if inside]
    return ["org", *(unit_scope(c) for c in path if c), *(f"group:{c}" for c in mine)]
