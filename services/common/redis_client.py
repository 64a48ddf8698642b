"""One pooled Redis client per process, made from the one REDIS_URL setting."""

from __future__ import annotations

from redis import Redis


def redis_from_url(url: str) -> Redis:
    # Short timeouts: a dead Redis must turn into a quick 503, never a hung worker.
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30)
