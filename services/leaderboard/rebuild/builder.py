"""Building boards aside and swapping them in at once (rebuilds, verify's expected boards).

The builder writes the finest boards of the ledger (``derivation.Part``, in pieces) and the
day activity sets under temporary keys, has Redis derive every other board from them
(``derivation.plan``), then replaces the live keys with one MULTI. Until the swap, readers
keep seeing the old boards. Temporary keys have no expiry (one expiring mid-build would make
its RENAME fail inside the MULTI); a crashed build's keys are removed by ``drop_stale_builds``
at the start of the next one, a finished build's by the swap itself.

A *partial* build (``owns`` given) derives and replaces only the live keys ``owns`` accepts
and leaves names, ``lb:applied`` and the epoch alone; a full one replaces everything.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, cast

from redis import ConnectionPool, Redis, RedisCluster
from redis.exceptions import WatchError

from services.common.calendar import period_key
from services.common.redis_client import sync, text
from services.leaderboard.keys import (
    ACTIVITY_PATTERN,
    APPLIED,
    BOARD_PATTERN,
    EPOCH,
    GENERATION,
    LIVE_PREFIX,
    LOCK,
    NAMES,
    TMP_PREFIX,
    activity_key,
    tmp_key,
)
from services.leaderboard.projection.script import LockLost
from services.leaderboard.rebuild.derivation import Part, Step, needed, plan

CHUNK = 5000  # members per write
# Derivation steps per pipelined round trip (and per renewal of the lock). Redis answers a
# pipeline's commands only once it has run all it read at once, and a union of large boards
# takes up to a second here: a few steps a trip keep every wait short.
STEPS = 10
SLOW_READ_SECONDS = 60.0  # the read timeout while deriving (one union may take seconds)
KeyFilter = Callable[[str], bool]


class BoardBuilder:
    def __init__(
        self, redis: Redis, build_id: str | None = None, owns: KeyFilter | None = None
    ) -> None:
        self.redis = redis
        self.build_id = build_id or uuid.uuid4().hex
        self.owns = owns
        self.parts: dict[Part, list[str]] = defaultdict(list)
        self.active_days: set[date] = set()
        self.boards: set[str] = set()
        self.sets: set[str] = set()
        self.mirrors: set[str] = set()
        self.names_key = f"{TMP_PREFIX}{self.build_id}:names"
        self.has_names = False

    def tmp(self, key: str) -> str:
        """The temporary key of a live key (same hash tag), or of an internal one."""
        if key.startswith(LIVE_PREFIX):
            return tmp_key(self.build_id, key)
        return f"{TMP_PREFIX}{self.build_id}:{key}"

    def add_parts(self, parts: Iterable[tuple[Part, Mapping[str, int]]]) -> None:
        """One piece of each part: points per member (pieces of a part add up)."""
        pipe = self.redis.pipeline(transaction=False)
        for part, points in parts:
            pieces = self.parts[part]
            name = f"piece:{part.category}:{period_key('day', part.day)}:{len(pieces)}:"
            name += "/".join(part.unit_path)
            items = list(points.items())
            for start in range(0, len(items), CHUNK):
                chunk = items[start : start + CHUNK]
                pipe.zadd(self.tmp(name), {member: -score for member, score in chunk})
            pieces.append(name)
        pipe.execute()

    def add_activity(self, members_of: Mapping[date, Iterable[str]]) -> None:
        """Members with an entry that earned points, per day."""
        pipe = self.redis.pipeline(transaction=False)
        for day, members in members_of.items():
            key, listed = self.tmp(activity_key(period_key("day", day))), list(members)
            for start in range(0, len(listed), CHUNK):
                pipe.sadd(key, *listed[start : start + CHUNK])
            if listed:
                self.active_days.add(day)
        pipe.execute()

    def derive(self, keep_alive: Callable[[], Any] = lambda: None) -> None:
        """Every board and activity set from the parts and day sets, inside Redis."""
        steps = plan(self.parts, self.active_days)
        steps = steps if self.owns is None else needed(steps, self.owns)
        with _patient(self.redis) as redis:
            pipe = redis.pipeline(transaction=False)
            for count, step in enumerate(steps, start=1):
                sources = [self.tmp(source) for source in step.sources]
                _union(pipe, self.tmp(step.dst), sources, step)
                if self._owned(step.dst):
                    (self.sets if step.kind == "set" else self.boards).add(step.dst)
                if count % STEPS == 0:
                    pipe.execute()
                    keep_alive()
            pipe.execute()
        days = (activity_key(period_key("day", day)) for day in self.active_days)
        self.sets.update(key for key in days if self._owned(key))

    def _owned(self, key: str) -> bool:
        return key.startswith(LIVE_PREFIX) and (self.owns is None or self.owns(key))

    def add_names(self, names: Mapping[str, str]) -> None:
        items = [(member, name) for member, name in names.items() if name]
        pipe = self.redis.pipeline(transaction=False)
        for start in range(0, len(items), CHUNK):
            pipe.hset(self.names_key, mapping=dict(items[start : start + CHUNK]))
            self.has_names = True
        pipe.execute()

    def add_mirror(
        self, key: str, hash_items: Mapping[str, str] | None = None, members: Iterable[str] = ()
    ) -> None:
        """Part of a directory mirror (``lb:units`` hash, ``lb:inactive`` set) to swap in."""
        tmp = tmp_key(self.build_id, key)
        self.mirrors.add(key)
        if hash_items:
            self.redis.hset(tmp, mapping=dict(hash_items))
        listed = list(members)
        if listed:
            self.redis.sadd(tmp, *listed)

    def _live(self) -> set[str]:
        live = {
            str(text(key))
            for pattern in (BOARD_PATTERN, ACTIVITY_PATTERN)
            for key in self.redis.scan_iter(match=pattern, count=1000)
        }
        return {key for key in live if self.owns is None or self.owns(key)}

    def swap_in(self, lock_token: str | bytes) -> str:
        """Replace the live keys this build owns at once; returns the new epoch.

        Replaced values are UNLINKed, not overwritten: Redis frees them in the background
        instead of inside the MULTI (a million-entry ledger's boards take seconds to free).
        """
        built = {key for key in self.boards | self.sets if self._owned(key)}
        live = self._live()
        epoch = f"{datetime.now(UTC).isoformat()}/{self.build_id}"
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(LOCK)  # type: ignore[no-untyped-call]  # any change to the lock (expiry, a new holder) aborts EXEC
                if text(sync(pipe.get(LOCK))) != text(lock_token):
                    raise LockLost("the projection lock was lost before the swap")
                existing = {key for key in self.mirrors if self.redis.exists(self.tmp(key))}
                pipe.multi()
                for key in sorted(built):
                    _replace(pipe, self.tmp(key), key)
                for stale in sorted(live - built):
                    pipe.unlink(stale)
                for key in sorted(self.mirrors):
                    _replace(pipe, self.tmp(key) if key in existing else None, key)
                if self.owns is None:
                    _replace(pipe, self.names_key if self.has_names else None, NAMES)
                    pipe.delete(APPLIED)
                    pipe.set(EPOCH, epoch)
                pipe.incr(GENERATION)
                pipe.execute()
            except WatchError as exc:
                raise LockLost("the projection lock changed during the swap") from exc
        self.discard()  # pieces, intermediate keys, keys this build did not own
        return epoch

    def discard(self) -> None:
        drop_stale_builds(self.redis, f"{TMP_PREFIX}{self.build_id}:*")


@contextmanager
def _patient(redis: Redis) -> Iterator[Redis]:
    """A client like ``redis`` that waits longer for answers (the default timeout is meant
    for web requests: a dead Redis must fail them quickly). A Cluster client is used as it is:
    its connections are per node, made from its own settings."""
    if isinstance(redis, RedisCluster):
        yield redis
        return
    pool = redis.connection_pool
    kwargs = {**pool.connection_kwargs, "socket_timeout": SLOW_READ_SECONDS}
    patient = Redis(
        connection_pool=ConnectionPool(connection_class=pool.connection_class, **kwargs)
    )
    try:
        yield patient
    finally:
        patient.close()
        patient.connection_pool.disconnect()


def _union(pipe: Any, dst: str, sources: list[str], step: Step) -> None:
    if len(sources) == 1:
        if step.move:
            pipe.rename(sources[0], dst)
        else:
            pipe.copy(sources[0], dst)
    elif step.kind == "set":
        pipe.sunionstore(dst, sources)
    else:
        pipe.zunionstore(dst, sources)


def _replace(pipe: Any, tmp: str | None, key: str) -> None:
    pipe.unlink(key)
    if tmp is not None:
        pipe.rename(tmp, key)


def drop_stale_builds(redis: Redis, pattern: str = f"{TMP_PREFIX}*") -> int:
    """Delete temporary keys left by a build (UNLINK: freed in the background); only the lock
    holder may call it."""
    dropped = 0
    batch: list[bytes] = []
    for key in redis.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            dropped += cast(int, redis.unlink(*batch))
            batch.clear()
    if batch:
        dropped += cast(int, redis.unlink(*batch))
    return dropped
