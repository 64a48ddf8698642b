"""The leaderboard's Redis keys, built in one place. Pure: no Redis here.

A board is ``lb:{<scope>:<period key>:<category>}``; the braces are a hash tag, so a board
and its temporary twin built by a rebuild share one Redis Cluster slot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.common.calendar import period_keys

ORG = "org"
TOTAL = "total"

NAMES = "lb:names"
APPLIED = "lb:applied"
EPOCH = "lb:epoch"
LOCK = "lb:lock:projection"
BOARD_PATTERN = "lb:{*"
TMP_PREFIX = "lb:tmp:"

UNIT_CODE = r"[A-Za-z0-9_-]{1,64}"
SCOPE_RE = re.compile(rf"^(?:org|unit:{UNIT_CODE})$")
UNIT_CODE_RE = re.compile(rf"^{UNIT_CODE}$")
CATEGORY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
PERIOD_KEY_RE = re.compile(r"^[a-z0-9-]{1,16}$", re.IGNORECASE)


def unit_scope(code: str) -> str:
    if not UNIT_CODE_RE.match(code):
        raise ValueError(f"invalid unit code {code!r}: expected {UNIT_CODE}")
    return f"unit:{code}"


def board_key(scope: str, period_key: str, category: str) -> str:
    """``lb:{org:all:total}``; refuses parts that could break the key or its hash tag."""
    if not SCOPE_RE.match(scope):
        raise ValueError(f"invalid scope {scope!r}: expected 'org' or 'unit:<code>'")
    if not PERIOD_KEY_RE.match(period_key):
        raise ValueError(f"invalid period key {period_key!r}")
    if not CATEGORY_RE.match(category):
        raise ValueError(f"invalid category {category!r}: expected [a-z_]{{1,32}}")
    return f"lb:{{{scope}:{period_key}:{category}}}"


def tmp_key(build_id: str, live_key: str) -> str:
    """The temporary twin of a live key: ``lb:tmp:<id>:{org:all:total}`` (same hash tag)."""
    return f"{TMP_PREFIX}{build_id}:{live_key.removeprefix('lb:')}"


def scopes_for(unit_path: Iterable[str]) -> list[str]:
    return [ORG, *(unit_scope(code) for code in unit_path)]


def boards_for(entry: Mapping[str, Any]) -> list[str]:
    """Every board a ledger entry adds to: scopes x the 6 periods of its day x 2 categories.

    Duplicates are dropped (an entry whose category were literally 'total' must not count
    twice on the total boards).
    """
    periods = period_keys(date.fromisoformat(entry["local_date"])).values()
    categories = dict.fromkeys((TOTAL, entry["category"]))
    keys = (
        board_key(scope, period, category)
        for scope in scopes_for(entry["unit_path"])
        for period in periods
        for category in categories
    )
    return list(dict.fromkeys(keys))
