"""One pooled Redis client per process, made from the one REDIS_URL setting, and the two
helpers every reader of its answers needs."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from redis import Redis, RedisCluster
from redis.cluster import ClusterNode, ClusterPipeline

# Short timeouts: a dead Redis must turn into a quick 503, never a hung worker.
OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "health_check_interval": 30}


def redis_from_url(url: str, **overrides: float) -> Redis:
    """``overrides`` change the timeouts, for a caller that must give up sooner."""
    return Redis.from_url(url, **{**OPTIONS, **overrides})


class SlotPipeline(ClusterPipeline):
    """A cluster pipeline that allows the multi-key commands redis-py refuses in one (their keys
    could span slots): every key the boards pipeline shares one slot, so Redis runs them as
    one plain Redis would."""


# The plain client's own methods: each only sends its command, which the pipeline then routes.
ALLOWED = ("rename", "renamenx", "sdiff", "sdiffstore", "sinter", "sinterstore", "sunion")
for _command in (*ALLOWED, "sunionstore"):
    setattr(SlotPipeline, _command, getattr(Redis, _command))


class BoardsCluster(RedisCluster):
    """A RedisCluster whose pipelines are MULTI/EXEC by default, as a plain client's are (the
    boards' readers and swaps rely on it), and allow the boards' multi-key commands."""

    def pipeline(self, transaction: Any = True, shard_hint: Any = None) -> Any:
        pipe = super().pipeline(transaction=transaction, shard_hint=shard_hint)  # type: ignore[no-untyped-call]
        pipe.__class__ = SlotPipeline  # the same object, with the commands above allowed
        return pipe


def boards_redis(redis_url: str, cluster_url: str) -> Redis:
    """Where the leaderboard keeps its boards: the Redis Cluster whose nodes ``cluster_url``
    names (comma-separated URLs; the first one's password and options hold for all, and any
    one reachable is enough to find the rest), else the plain Redis of ``redis_url``.

    Typed as ``Redis``: the boards use only commands both clients share, their keys all in one
    slot (services/leaderboard/keys.py)."""
    if not cluster_url:
        return redis_from_url(redis_url)
    first, *others = (url.strip() for url in cluster_url.split(","))
    node: Any = ClusterNode
    nodes = [node(parsed.hostname, parsed.port or 6379) for parsed in map(urlsplit, others)]
    cluster: Any = BoardsCluster.from_url(first, startup_nodes=nodes, **OPTIONS)
    return cast(Redis, cluster)


def sync(answer: Any) -> Any:
    """redis-py types every answer ``Awaitable[T] | T``; our clients are synchronous: ``T``."""
    return answer


def text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value
