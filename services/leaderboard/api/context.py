"""What every view needs: Redis, who is hidden, the privacy setting, the viewer, the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, request
from redis import Redis

from services.common.calendar import today
from services.common.db import current_db
from services.common.errors import Unprocessable
from services.common.http import ServiceClient
from services.common.redis_client import text
from services.common.web import settings
from services.contracts import SCOPES_HEADER, VIEWER_HEADER
from services.leaderboard.config.groups import PRIVACY_RANKS, load_config
from services.leaderboard.config.mirror import write_config
from services.leaderboard.keys import CONFIG_VERSION, SETTINGS
from services.leaderboard.periods import Window, day_kept, window
from services.leaderboard.reads.selection import HIDDEN_SETS, BoardRef, board

# Until staff sign in (a later change), the caller names the member it shows the board to
# (VIEWER_HEADER); the gateway will then set it itself from the session, as it sets X-Sender.


def redis() -> Redis:
    client: Redis = current_app.extensions["redis"]
    return client


def points() -> ServiceClient:
    """The points service, asked with a short timeout (services.leaderboard.reads.catch_up)."""
    client: ServiceClient = current_app.extensions["points"]
    return client


@dataclass
class Reader:
    redis: Redis
    hidden: set[str]
    privacy: str
    viewer: str | None
    admin: bool

    def mask(self, row: dict[str, Any]) -> dict[str, Any]:
        """Under ``ranks_only`` privacy, others are shown by rank and points only."""
        if self.privacy != PRIVACY_RANKS or self.admin or row.get("member") == self.viewer:
            return row
        return {**row, "member": None, "name": None}

    def masked(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.mask(row) for row in rows]


def reader() -> Reader:
    client = redis()
    configured, privacy, left_out = _reader_state(client)
    if not configured:  # Redis restarted: copy the configuration back, then read it again
        with current_db().read() as session:
            write_config(client, load_config(session))
        configured, privacy, left_out = _reader_state(client)
    scopes = request.headers.get(SCOPES_HEADER, "").split()
    return Reader(
        client,
        left_out,
        text(privacy) or "names",
        request.headers.get(VIEWER_HEADER),
        "admin" in scopes,
    )


def _reader_state(client: Redis) -> tuple[bool, Any, set[str]]:
    """Whether the configuration is in Redis, the privacy setting and who is hidden: one round
    trip, since every read needs all three before its own."""
    pipe = client.pipeline(transaction=False)
    pipe.exists(CONFIG_VERSION)
    pipe.hget(SETTINGS, "privacy")
    pipe.sunion(HIDDEN_SETS)
    configured, privacy, members = pipe.execute()
    return bool(configured), privacy, {text(m) or "" for m in members}


def local_today() -> date:
    return today(settings().org_timezone)


def window_of(query: dict[str, Any]) -> Window:
    current = window(
        query["period"], query.get("at") or local_today(), query.get("start"), query.get("end")
    )
    if not current.stored and current.start and not day_kept(current.start, local_today()):
        raise Unprocessable(
            errors={"query": {"period": ["Older than the day boards kept; read the archive."]}}
        )
    return current


def board_of(query: dict[str, Any]) -> BoardRef:
    return board(redis(), query["scope"], window_of(query), query["category"])
