"""One pooled Redis client per process, made from the one REDIS_URL setting, and the two
helpers every reader of its answers needs."""

from __future__ import annotations

from typing import Any

from redis import Redis


def redis_from_url(url: str, **overrides: float) -> Redis:
    """``overrides`` change the timeouts, for a caller that must give up sooner."""
    # Short timeouts: a dead Redis must turn into a quick 503, never a hung worker.
    options = {"socket_connect_timeout": 2, "socket_timeout": 5, "health_check_interval": 30}
    return Redis.from_url(url, **{**options, **overrides})


def sync(answer: Any) -> Any:
    """redis-py types every answer ``Awaitable[T] | T``; our clients are synchronous: ``T``."""
    return answer


def text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value
