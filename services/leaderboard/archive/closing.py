"""Closing periods: final standings into SQL, then expiry of short-period keys in Redis.

Schedule (the ticker enqueues ``jobs.close_periods`` every ARCHIVE_INTERVAL seconds, hourly
by default, and the job is safe to run any number of times):

- a week, month, quarter or year is archived once its last local day is ``GRACE`` behind
  today (late events from terminals and retries land first): every board of it (org and each
  unit, total and each category), the shown members in board order with rank and points;
- week keys (boards and activity sets) then expire ``WEEK_RETENTION`` after the week ends;
- day keys are not archived and expire ``DAY_RETENTION`` after their day (rolling and
  campaign windows are read from them until then);
- month, quarter, year and all-time keys never expire.

An archive is written once per board and never changed: an entry dated in an archived period
that arrives later still reaches the live board, not the archive. A rebuild recreates expired
keys from the ledger; the next run of this job expires them again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from redis import Redis
from sqlalchemy import select

from services.common.db import Database
from services.common.redis_client import sync, text
from services.leaderboard.keys import (
    ACTIVITY_PATTERN,
    ACTIVITY_PREFIX,
    BOARD_PATTERN,
    NAMES,
    parse_board,
)
from services.leaderboard.models import Archive, ArchiveRow
from services.leaderboard.periods import DAY_RETENTION, WEEK_RETENTION, bounds
from services.leaderboard.ranking import competition_ranks, points_of
from services.leaderboard.reads.selection import hidden

GRACE = timedelta(days=1)
ARCHIVED = ("week", "month", "quarter", "year")
KINDS = {"y": "year", "q": "quarter", "m": "month", "w": "week", "d": "day"}


def period_of(period_key: str) -> tuple[str, date] | None:
    """(kind, a day inside it) of a stored period key; None for 'all'."""
    kind = KINDS.get(period_key[:1])
    if period_key == "all" or kind is None:
        return None
    body = period_key[1:]
    if kind == "year":
        return kind, date(int(body), 1, 1)
    if kind == "quarter":
        year, quarter = body.split("-Q")
        return kind, date(int(year), 3 * int(quarter) - 2, 1)
    if kind == "month":
        year, month = body.split("-")
        return kind, date(int(year), int(month), 1)
    if kind == "week":
        year, week = body.split("-W")
        return kind, date.fromisocalendar(int(year), int(week), 1)
    return kind, date.fromisoformat(body)


def _period_key_of(key: str) -> str:
    if key.startswith(ACTIVITY_PREFIX):
        return key.removeprefix(ACTIVITY_PREFIX).removesuffix("}")
    return parse_board(key)[1]


def expires_on(key: str) -> date | None:
    """The local day after which a key is gone, by the schedule above; None: kept."""
    found = period_of(_period_key_of(key))
    if found is None or found[0] not in ("day", "week"):
        return None
    kind, day = found
    return bounds(kind, day)[1] + (DAY_RETENTION if kind == "day" else WEEK_RETENTION)


def expired(key: str, today: date) -> bool:
    until = expires_on(key)
    return until is not None and until < today


def _keys(redis: Redis, *patterns: str) -> list[str]:
    return sorted(
        {text(k) or "" for pattern in patterns for k in redis.scan_iter(match=pattern, count=1000)}
    )


def closing(key: str, today: date) -> tuple[str, str, str, str] | None:
    """(scope, period, period key, category) of a board due for archiving, else None."""
    scope, period_key, category = parse_board(key)
    found = period_of(period_key)
    if found is None or found[0] not in ARCHIVED:
        return None
    kind, day = found
    if bounds(kind, day)[1] + GRACE >= today:
        return None
    return scope, kind, period_key, category


def archive_closed(redis: Redis, db: Database, today: date, keep_alive: Callable[[], Any]) -> int:
    due = [(key, found) for key in _keys(redis, BOARD_PATTERN) if (found := closing(key, today))]
    if not due:
        return 0
    with db.read() as session:
        done = set(session.execute(select(Archive.scope, Archive.period_key, Archive.category)))
    left_out = hidden(redis)
    archived = 0
    for key, (scope, kind, period_key, category) in due:
        if (scope, period_key, category) in done:
            continue
        keep_alive()
        rows = [(text(m) or "", s) for m, s in sync(redis.zrange(key, 0, -1, withscores=True))]
        rows = [(m, s) for m, s in rows if m not in left_out]
        names = sync(redis.hmget(NAMES, [m for m, _ in rows])) if rows else []
        ranks = competition_ranks([s for _, s in rows])
        with db.write() as session:
            board = Archive(
                scope=scope,
                period=kind,
                period_key=period_key,
                category=category,
                members=len(rows),
            )
            session.add(board)
            session.flush()
            session.add_all(
                ArchiveRow(
                    archive_id=board.id,
                    rank=rank,
                    position=position,
                    staff_no=member,
                    name=text(name),
                    points=points_of(score),
                )
                for position, (rank, (member, score), name) in enumerate(
                    zip(ranks, rows, names, strict=True)
                )
            )
        archived += 1
    return archived


def expire_closed(redis: Redis, today: date) -> int:
    """Set the scheduled expiry on every day and week key (past dates delete at once)."""
    pipe = redis.pipeline(transaction=False)
    count = 0
    for key in _keys(redis, BOARD_PATTERN, ACTIVITY_PATTERN):
        until = expires_on(key)
        found = period_of(_period_key_of(key))
        if until is None or found is None:
            continue
        if found[0] == "week" and bounds("week", found[1])[1] + GRACE >= today:
            continue  # not archived yet: its expiry is set once it is
        moment = datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC)
        pipe.expireat(key, moment)
        count += 1
    pipe.execute()
    return count
