"""The Redis side of projecting ledger entries onto boards, exactly once.

Everything here takes plain dicts (ENTRY as in docs/architecture.md) so it can be tested on a
real Redis without the points service; the HTTP paging lives in ``drain``.

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
from collections.abc import Iterable, Mapping
from typing import Any

from redis import Redis
from redis.exceptions import ResponseError

from services.leaderboard.keys import (
    APPLIED,
    GENERATION,
    LOCK,
    NAMES,
    activity_for,
    boards_for,
)

Entry = Mapping[str, Any]

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
