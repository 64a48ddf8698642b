"""What every view needs: Redis, who is hidden, the privacy setting, the viewer, the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, request
from redis import Redis

from services.common.calendar import today
from services.common.db import current_db
from services.common.errors import Forbidden, NotFound, Unprocessable
from services.common.http import ServiceClient
from services.common.redis_client import text
from services.common.web import settings
from services.contracts import (
    ADMIN,
    REVIEWER,
    ROLES_HEADER,
    SCOPES_HEADER,
    VIEWER_HEADER,
    Reach,
)
from services.leaderboard.config.groups import PRIVACY_RANKS, load_config
from services.leaderboard.config.mirror import write_config
from services.leaderboard.keys import CONFIG_VERSION, GROUPS, SETTINGS, UNITS
from services.leaderboard.periods import Window, day_kept, window
from services.leaderboard.reads.selection import HIDDEN_SETS, BoardRef, board, group_of

# The viewer (VIEWER_HEADER) is the member the board is shown to: the gateway sets it for a
# signed-in person, whatever the client sent, and a system's key may name one (a kiosk).


def redis() -> Redis:
    client: Redis = current_app.extensions["redis"]
    return client


def queue_redis() -> Redis:
    """The Redis of the queues (the plain REDIS_URL, even when the boards are on a Cluster)."""
    client: Redis = current_app.extensions["queue_redis"]
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

    def may_single_out(self, *members: str) -> None:
        """403 when a view would name a member's points and rank under ``ranks_only``:
        asking for them by staff number defeats a blank name, so under that setting a
        member's own views (standing, around, catch-up, movement, history, compare) are
        theirs and the admins' alone."""
        if self.privacy != PRIVACY_RANKS or self.admin:
            return
        others = sorted({m for m in members if m != self.viewer})
        if others:
            raise Forbidden(
                f"Under ranks_only privacy, only {others[0]} sees their own standing; "
                "boards show the others by rank and points."
            )


def may_read_own_data(client: Redis, staff_no: str) -> None:
    """A member's history is their own: the gateway lets reviewers and admins through, and
    here, where the member's unit is known (the ``lb:units`` mirror), they are kept to the
    units their roles cover (X-Roles; absent for systems' keys)."""
    roles = request.headers.get(ROLES_HEADER)
    if roles is None or request.headers.get(VIEWER_HEADER) == staff_no:
        return
    unit_path: Any = client.hget(UNITS, staff_no)  # "north/north-ops"; a sync client's str
    path = (text(unit_path) or "").split("/")
    if not Reach.of(roles).covers(path, REVIEWER, ADMIN):
        raise Forbidden(f"{staff_no} is outside the units your roles cover.")


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


NO_GROUP = "`scope=group:<code>` names a group nobody made."


def board_of(query: dict[str, Any]) -> BoardRef:
    """The board a query names; 404 for a group nobody made (reader() has put the
    configuration in Redis)."""
    client, group = redis(), group_of(query["scope"])
    if group is not None and not client.sismember(GROUPS, group):
        raise NotFound(f"No group {group!r}: GET /api/v1/leaderboard/groups lists them.")
    return board(client, query["scope"], window_of(query), query["category"])
