"""The Redis side of projecting ledger entries onto boards, exactly once.

Everything here takes plain dicts (ENTRY as in docs/architecture.md) so it can be tested on a
real Redis without the points service; the HTTP paging lives in ``jobs.py``.

Why it is exactly once:

- ``apply_batch`` runs as one Lua script, so an entry's increments and its id in
  ``lb:applied`` land together or not at all. An id already in the set is skipped: a batch
  applied, then not acknowledged (a killed worker, a lost ack, a retried job), is skipped
  when the outbox hands it over again.
- The script, ``release_applied`` and the swap of a rebuild all refuse to write unless the
  caller still holds the projection lock (checked inside Redis, atomically with the write).
  A drain whose lock expired can therefore never apply a batch that the new holder already
  applied, acknowledged and released, nor forget ids the new holder still relies on.
- Ids leave ``lb:applied`` only after the points service confirmed the acknowledgement, so an
  id that the outbox can still hand over is always in the set.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from redis import Redis
from redis.exceptions import ResponseError, WatchError

from services.leaderboard.keys import (
    ACTIVITY_PATTERN,
    APPLIED,
    BOARD_PATTERN,
    EPOCH,
    GENERATION,
    LOCK,
    NAMES,
    TMP_PREFIX,
    activity_for,
    boards_for,
    tmp_key,
)

Entry = Mapping[str, Any]
Boards = Mapping[str, Mapping[str, int]]

# KEYS: lock, applied set, names hash, generation, then every board and activity set the
# batch touches. ARGV[1]: lock token; ARGV[2]: JSON
# [[entry id, member, name, -points, [board KEYS index], [activity set KEYS index]]].
# Names only fill a gap (HSETNX): renames arrive through sync_member, and a drain that read
# its rows before a rename must not put the old name back.
APPLY_LUA = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('LOCK_LOST the projection lock is not held by this caller')
end
local applied = 0
for _, e in ipairs(cjson.decode(ARGV[2])) do
  if redis.call('SADD', KEYS[2], e[1]) == 1 then
    for _, i in ipairs(e[5]) do
      redis.call('ZINCRBY', KEYS[i], e[4], e[2])
    end
    for _, i in ipairs(e[6]) do
      redis.call('SADD', KEYS[i], e[2])
    end
    if e[3] ~= '' then
      redis.call('HSETNX', KEYS[3], e[2], e[3])
    end
    applied = applied + 1
  end
end
if applied > 0 then
  redis.call('INCR', KEYS[4])
end
return applied
"""

# KEYS: lock, applied set. ARGV[1]: lock token, then entry ids. -1 when the lock is lost.
RELEASE_LUA = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local removed = 0
for i = 2, #ARGV do
  removed = removed + redis.call('SREM', KEYS[2], ARGV[i])
end
return removed
"""

CHUNK = 5000  # commands per pipelined round trip when building boards


class LockLost(RuntimeError):
    """The projection lock expired or was taken over: this caller must stop writing."""


def _token(lock_token: str | bytes) -> str:
    return lock_token.decode() if isinstance(lock_token, bytes) else lock_token


def _points(entry: Entry) -> int:
    points = entry["points"]
    if isinstance(points, bool) or not isinstance(points, int):
        raise ValueError(f"entry {entry.get('id')!r}: points must be an integer")
    return points


def apply_batch(redis: Redis, entries: Iterable[Entry], lock_token: str | bytes) -> int:
    """Apply entries not applied before; returns how many were new. Raises LockLost.

    Every entry is checked before anything is written, so a malformed entry fails the whole
    batch loudly instead of being skipped (skipping would break "totals equal the ledger").
    """
    keys: dict[str, int] = {}  # key -> its index in KEYS (Lua counts from 1; 4 fixed keys)
    payload = []
    for entry in entries:
        points = _points(entry)
        boards = [keys.setdefault(board, len(keys) + 5) for board in boards_for(entry)]
        active = [keys.setdefault(key, len(keys) + 5) for key in activity_for(entry)]
        name = entry.get("member_name") or ""
        payload.append([str(entry["id"]), entry["member"], name, str(-points), boards, active])
    if not payload:
        return 0
    script = redis.register_script(APPLY_LUA)
    try:
        applied = script(
            keys=[LOCK, APPLIED, NAMES, GENERATION, *keys],
            args=[_token(lock_token), json.dumps(payload)],
        )
    except ResponseError as exc:
        if "LOCK_LOST" in str(exc):
            raise LockLost(str(exc)) from exc
        raise
    return int(applied)


def release_applied(redis: Redis, entry_ids: Iterable[int | str], lock_token: str | bytes) -> int:
    """Forget acknowledged entry ids (call only after the points service confirmed the ack)."""
    ids = [str(entry_id) for entry_id in entry_ids]
    if not ids:
        return 0
    script = redis.register_script(RELEASE_LUA)
    removed = int(script(keys=[LOCK, APPLIED], args=[_token(lock_token), *ids]))
    if removed < 0:
        raise LockLost("the projection lock was lost before applied ids were released")
    return removed


def aggregate(entries: Iterable[Entry]) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Sum entries per (board, member); also the latest name seen per member."""
    boards: dict[str, dict[str, int]] = defaultdict(dict)
    names: dict[str, str] = {}
    cache: dict[tuple[Any, ...], list[str]] = {}
    for entry in entries:
        shape = (tuple(entry["unit_path"]), entry["category"], entry["local_date"])
        if shape not in cache:  # many entries share a unit, category and day
            cache[shape] = boards_for(entry)
        member, points = entry["member"], _points(entry)
        for board in cache[shape]:
            members = boards[board]
            members[member] = members.get(member, 0) + points
        if entry.get("member_name"):
            names[member] = entry["member_name"]
    return dict(boards), names


def aggregate_activity(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Members per activity set (see ``keys.activity_for``)."""
    sets: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for key in activity_for(entry):
            sets[key].add(entry["member"])
    return dict(sets)


KeyFilter = Callable[[str], bool]


class BoardBuilder:
    """Builds boards, activity sets and the directory mirrors under temporary keys, then swaps
    them in with one MULTI.

    Until the swap, readers keep seeing the old boards. Temporary keys have no expiry (one
    expiring mid-build would make its RENAME fail inside the MULTI); a crashed build's keys
    are removed by ``drop_stale_builds`` at the start of the next one.

    A *partial* build (``owns`` given) replaces only the live keys ``owns`` accepts and leaves
    names, ``lb:applied`` and the epoch alone; a full one replaces everything.
    """

    def __init__(
        self, redis: Redis, build_id: str | None = None, owns: KeyFilter | None = None
    ) -> None:
        self.redis = redis
        self.build_id = build_id or uuid.uuid4().hex
        self.owns = owns
        self.boards: set[str] = set()
        self.sets: set[str] = set()
        self.mirrors: set[str] = set()
        self.names_key = f"{TMP_PREFIX}{self.build_id}:names"
        self.has_names = False

    def add_points(self, boards: Boards) -> None:
        pipe = self.redis.pipeline(transaction=False)
        count = 0
        for board, member, points in _pairs(boards):
            if self.owns is not None and not self.owns(board):
                continue
            pipe.zincrby(tmp_key(self.build_id, board), -points, member)
            self.boards.add(board)
            count += 1
            if count % CHUNK == 0:
                pipe.execute()
        pipe.execute()

    def add_activity(self, sets: Mapping[str, set[str]]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        for key, members in sets.items():
            if members and (self.owns is None or self.owns(key)):
                pipe.sadd(tmp_key(self.build_id, key), *members)
                self.sets.add(key)
        pipe.execute()

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
            _text(key)
            for pattern in (BOARD_PATTERN, ACTIVITY_PATTERN)
            for key in self.redis.scan_iter(match=pattern, count=1000)
        }
        return {key for key in live if self.owns is None or self.owns(key)}

    def swap_in(self, lock_token: str | bytes) -> str:
        """Replace the live keys this build owns at once; returns the new epoch."""
        built = {k for k in self.boards | self.sets if self.owns is None or self.owns(k)}
        live = self._live()
        epoch = f"{datetime.now(UTC).isoformat()}/{self.build_id}"
        with self.redis.pipeline() as pipe:
            try:
                pipe.watch(LOCK)  # type: ignore[no-untyped-call]  # any change to the lock (expiry, a new holder) aborts EXEC
                if _text(pipe.get(LOCK)) != _token(lock_token):
                    raise LockLost("the projection lock was lost before the swap")
                existing = {
                    key for key in self.mirrors if self.redis.exists(tmp_key(self.build_id, key))
                }
                pipe.multi()
                for key in sorted(built):
                    pipe.rename(tmp_key(self.build_id, key), key)
                for stale in sorted(live - built):
                    pipe.delete(stale)
                for key in sorted(self.mirrors):
                    if key in existing:
                        pipe.rename(tmp_key(self.build_id, key), key)
                    else:
                        pipe.delete(key)
                if self.owns is None:
                    if self.has_names:
                        pipe.rename(self.names_key, NAMES)
                    else:
                        pipe.delete(NAMES)
                    pipe.delete(APPLIED)
                    pipe.set(EPOCH, epoch)
                pipe.incr(GENERATION)
                pipe.execute()
            except WatchError as exc:
                raise LockLost("the projection lock changed during the swap") from exc
        return epoch

    def discard(self) -> None:
        drop_stale_builds(self.redis, f"{TMP_PREFIX}{self.build_id}:*")


def _pairs(boards: Boards) -> Iterable[tuple[str, str, int]]:
    for board, members in boards.items():
        for member, points in members.items():
            yield board, member, points


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def swap_in(redis: Redis, boards: Boards, names: Mapping[str, str], lock_token: str | bytes) -> str:
    """Replace every board and ``lb:names`` with the given ones at once; returns the epoch."""
    builder = BoardBuilder(redis)
    try:
        builder.add_points(boards)
        builder.add_names(names)
        return builder.swap_in(lock_token)
    except BaseException:
        builder.discard()
        raise


def drop_stale_builds(redis: Redis, pattern: str = f"{TMP_PREFIX}*") -> int:
    """Delete temporary keys left by a build that died; only the lock holder may call it."""
    dropped = 0
    batch: list[bytes] = []
    for key in redis.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            dropped += cast(int, redis.delete(*batch))
            batch.clear()
    if batch:
        dropped += cast(int, redis.delete(*batch))
    return dropped
