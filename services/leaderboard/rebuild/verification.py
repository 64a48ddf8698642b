"""Verify: every board and activity set against the ledger, and optionally repair.

Run under the projection lock after a full drain, so the live boards should hold exactly the
settled ledger. The expected boards are built aside from the ledger, as a rebuild builds them
(temporary keys), then compared key by key inside Redis (``SAME_LUA``); only keys that may
differ are read back and compared member by member. A repair swaps in the rebuilt versions of
the drifted keys only (and deletes live keys the ledger does not have), at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from redis import Redis
from redis.lock import Lock

from services.common.http import ServiceClient
from services.common.redis_client import sync, text
from services.leaderboard.archive.closing import expired
from services.leaderboard.keys import ACTIVITY_PATTERN, BOARD_PATTERN
from services.leaderboard.rebuild.build import Target, build
from services.leaderboard.rebuild.builder import BoardBuilder, drop_stale_builds

EXAMPLES = 5  # members shown per drifted key
BATCH = 50  # pairs of keys compared per script call (a large board DUMPs in milliseconds)

# KEYS: pairs of keys (live, expected). Returns the position in KEYS of the first key of every
# pair that may differ; every other pair is equal for sure. Sorted sets of equal content
# serialize to the same bytes (DUMP) when they share an encoding; when they do not, the pair
# is read back and compared member by member.
SAME_LUA = """
local differ = {}
for i = 1, #KEYS, 2 do
  local a, b = KEYS[i], KEYS[i + 1]
  local kind = redis.call('TYPE', a)['ok']
  local same = kind == redis.call('TYPE', b)['ok']
  if same and kind == 'zset' then
    same = redis.call('DUMP', a) == redis.call('DUMP', b)
  elseif same and kind == 'set' then
    same = redis.call('SCARD', a) == redis.call('SCARD', b) and #redis.call('SDIFF', a, b) == 0
  end
  if not same then
    table.insert(differ, i)
  end
end
return differ
"""


def _content(redis: Redis, key: str) -> dict[str, float]:
    kind = text(sync(redis.type(key)))
    if kind == "zset":
        return {text(m) or "": s for m, s in sync(redis.zrange(key, 0, -1, withscores=True))}
    if kind == "set":
        return {text(m) or "": 1.0 for m in sync(redis.smembers(key))}
    return {}


def _live_keys(redis: Redis) -> set[str]:
    return {
        text(key) or ""
        for pattern in (BOARD_PATTERN, ACTIVITY_PATTERN)
        for key in redis.scan_iter(match=pattern, count=1000)
    }


def _drift(key: str, live: dict[str, float], expected: dict[str, float]) -> dict[str, Any] | None:
    members = sorted(set(live) | set(expected))
    wrong = [m for m in members if live.get(m) != expected.get(m)]
    if not wrong:
        return None
    examples = [
        {"member": m, "board": _points(live.get(m)), "ledger": _points(expected.get(m))}
        for m in wrong[:EXAMPLES]
    ]
    return {"key": key, "members": len(wrong), "examples": examples}


def _points(score: float | None) -> int | None:
    return None if score is None else int(-score) + 0


def _maybe_different(redis: Redis, builder: BoardBuilder, keys: list[str]) -> list[str]:
    pairs = [name for key in keys for name in (key, builder.tmp(key))]
    positions = redis.register_script(SAME_LUA)(keys=pairs)
    return [keys[(int(position) - 1) // 2] for position in positions]


def verify(
    redis: Redis,
    points: ServiceClient,
    lock: Lock,
    repair: bool,
    progress: Callable[..., None],
    today: date,
) -> dict[str, Any]:
    drop_stale_builds(redis)
    builder = BoardBuilder(redis)
    try:
        read = build(builder, points, Target(), lock.reacquire, progress, directory=False)
        expected_keys = builder.boards | builder.sets
        # Keys past their scheduled expiry are gone from Redis on purpose (archive.py).
        keys = sorted(k for k in _live_keys(redis) | expected_keys if not expired(k, today))
        drifted = []
        for start in range(0, len(keys), BATCH):
            lock.reacquire()
            progress(phase="compare", keys_compared=start)
            for key in _maybe_different(redis, builder, keys[start : start + BATCH]):
                found = _drift(key, _content(redis, key), _content(redis, builder.tmp(key)))
                if found is not None:
                    drifted.append(found)
        repaired = False
        if repair and drifted:
            names = {d["key"] for d in drifted}
            builder.owns = names.__contains__
            builder.swap_in(lock.local.token)
            repaired = True
    finally:
        builder.discard()
    return {
        "entries": read,
        "keys_checked": len(keys),
        "drifted": drifted,
        "drift": len(drifted),
        "repaired": repaired,
    }
