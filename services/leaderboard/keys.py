"""The leaderboard's Redis keys, built in one place. Pure: no Redis here.

A board is ``lb:{<scope>:<period key>:<category>}``. On a Redis Cluster
(BOARDS_REDIS_CLUSTER_URL set) every key starts with ``{lb}:`` instead of ``lb:``: the first
braces are the hash tag, so every leaderboard key lives in one slot, as the projection's Lua
script (which touches the lock, the applied set, names and every board of a batch), the
rebuilds' unions and renames and the derived boards need (docs/boards-at-scale.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from services.common.calendar import period_keys
from services.common.config import boards_on_cluster

# Fixed per process from the environment: key names are module constants every part imports.
# Unset: the names of one plain Redis, unchanged.
NS = "{lb}" if boards_on_cluster() else "lb"
LIVE_PREFIX = f"{NS}:"  # every leaderboard key
BOARD_PREFIX = f"{NS}:{{"
ACTIVITY_PREFIX = f"{NS}:act:{{"

ORG = "org"
TOTAL = "total"

NAMES = f"{NS}:names"
APPLIED = f"{NS}:applied"
EPOCH = f"{NS}:epoch"
LOCK = f"{NS}:lock:projection"
BOARD_PATTERN = f"{NS}:{{*"
TMP_PREFIX = f"{NS}:tmp:"
# Members with at least one entry that earned points, per stored period (participation).
ACTIVITY_PATTERN = f"{NS}:act:{{*"
# Bumped by every write to boards (drains, rebuilds, repairs): names cached derived boards.
GENERATION = f"{NS}:gen"
# Directory mirrors, written by sync_member and every full rebuild.
INACTIVE = f"{NS}:inactive"  # set: members who are not active (left off every board)
UNITS = f"{NS}:units"  # hash: staff number -> current unit path, "north/north-ops"
# Bumped by every member change (sync_member): names shared results (reads/shared.py).
DIRECTORY_VERSION = f"{NS}:directory:version"
# Configuration mirrors of the leaderboard's SQL tables (groups, exclusions, privacy).
CONFIG_VERSION = f"{NS}:config:version"
EXCLUDED = f"{NS}:excluded"  # set: members of excluded groups
GROUPS = f"{NS}:groups"  # set: codes of the groups mirrored as lb:group:<code>
SETTINGS = f"{NS}:settings"  # hash: organisation settings (privacy)
CACHE_PREFIX = f"{NS}:cache:"  # short-lived derived boards (rolling, campaign, group scopes)
# A flag beside the queues (the ticker sets it where it enqueues): on the plain REDIS_URL.
ARCHIVE_PENDING = "lb:archive:pending"

UNIT_CODE = r"[A-Za-z0-9_-]{1,64}"
# Whole-string patterns end in \Z, not $ (which also matches before a trailing newline): the
# schemas' Regexp validators match from the start only, and a newline must never reach a key.
SCOPE_RE = re.compile(rf"^(?:org|unit:{UNIT_CODE})\Z")
# Scopes a query may name: stored ones, and groups (derived from the org board at read time).
QUERY_SCOPE_RE = re.compile(rf"^(?:org|unit:{UNIT_CODE}|group:{UNIT_CODE})\Z")
UNIT_CODE_RE = re.compile(rf"^{UNIT_CODE}\Z")
CATEGORY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}\Z")
PERIOD_KEY_RE = re.compile(r"^[a-z0-9-]{1,16}\Z", re.IGNORECASE)


def unit_scope(code: str) -> str:
    if not UNIT_CODE_RE.fullmatch(code):
        raise ValueError(f"invalid unit code {code!r}: expected {UNIT_CODE}")
    return f"unit:{code}"


def board_key(scope: str, period_key: str, category: str) -> str:
    """``lb:{org:all:total}``; refuses parts that could break the key or its hash tag."""
    if not SCOPE_RE.fullmatch(scope):
        raise ValueError(f"invalid scope {scope!r}: expected 'org' or 'unit:<code>'")
    if not PERIOD_KEY_RE.fullmatch(period_key):
        raise ValueError(f"invalid period key {period_key!r}")
    if not CATEGORY_RE.fullmatch(category):
        raise ValueError(f"invalid category {category!r}: expected [a-z_]{{1,32}}")
    return f"{BOARD_PREFIX}{scope}:{period_key}:{category}}}"


def activity_key(period_key: str) -> str:
    """``lb:act:{w2026-W48}``: who had an entry that earned points in that period."""
    if not PERIOD_KEY_RE.fullmatch(period_key):
        raise ValueError(f"invalid period key {period_key!r}")
    return f"{ACTIVITY_PREFIX}{period_key}}}"


def group_key(code: str) -> str:
    if not UNIT_CODE_RE.fullmatch(code):
        raise ValueError(f"invalid group code {code!r}: expected {UNIT_CODE}")
    return f"{NS}:group:{code}"


def parse_board(key: str) -> tuple[str, str, str]:
    """(scope, period key, category) of a board key; the inverse of ``board_key``."""
    inner = key.removeprefix(BOARD_PREFIX).removesuffix("}")
    scope_and_period, category = inner.rsplit(":", 1)
    scope, period = scope_and_period.rsplit(":", 1)
    return scope, period, category


def tmp_key(build_id: str, live_key: str) -> str:
    """The temporary twin of a live key: ``lb:tmp:<id>:{org:all:total}`` (same hash tag)."""
    return f"{TMP_PREFIX}{build_id}:{live_key.removeprefix(LIVE_PREFIX)}"


def scopes_for(unit_path: Iterable[str]) -> list[str]:
    return [ORG, *(unit_scope(code) for code in unit_path)]


def boards_for(entry: Mapping[str, Any]) -> list[str]:
    """Every board a ledger entry adds to: scopes x the 6 periods of its day x 2 categories.

    Duplicates are dropped (an entry whose category were literally 'total' must not count
    twice on the total boards).
    """
    return list(_boards_of(tuple(entry["unit_path"]), entry["category"], entry["local_date"]))


# Entries of a batch share few (unit path, category, day) shapes; building and checking each
# shape's keys once instead of once per entry halved the projection worker's time per entry.
@lru_cache(maxsize=4096)
def _boards_of(unit_path: tuple[str, ...], category: str, day: str) -> tuple[str, ...]:
    periods = period_keys(date.fromisoformat(day)).values()
    categories = dict.fromkeys((TOTAL, category))
    keys = (
        board_key(scope, period, category)
        for scope in scopes_for(unit_path)
        for period in periods
        for category in categories
    )
    return tuple(dict.fromkeys(keys))


def activity_for(entry: Mapping[str, Any]) -> list[str]:
    """The activity sets an entry adds its member to: every period of its day, when it
    earned points (an absence or a penalty is no learning activity)."""
    if entry["points"] <= 0:
        return []
    return list(_activity_of(entry["local_date"]))


@lru_cache(maxsize=1024)
def _activity_of(day: str) -> tuple[str, ...]:
    return tuple(activity_key(period) for period in period_keys(date.fromisoformat(day)).values())
