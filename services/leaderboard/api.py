"""The leaderboard's HTTP API: board pages, a member's standing, and rebuilds."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from redis import Redis

from services.common.calendar import period_key, today
from services.common.queues import DEFAULT, enqueue
from services.common.web import settings
from services.leaderboard.keys import board_key
from services.leaderboard.schemas import (
    BoardQuerySchema,
    PageQuerySchema,
    PageSchema,
    RebuildJobSchema,
    StandingSchema,
)
from services.leaderboard.store import read_page, read_standing

blp = Blueprint(
    "leaderboard", __name__, url_prefix="/api/v1", description="Who stands where, and why."
)

REBUILD_JOB = "services.leaderboard.jobs.rebuild_all"
REBUILD_TIMEOUT = 3600  # seconds; a rebuild reads the whole ledger


def _redis() -> Redis:
    client: Redis = current_app.extensions["redis"]
    return client


def _board(query: dict[str, Any]) -> tuple[dict[str, str], str]:
    """The board a query names, and its Redis key."""
    day = query["at"] or today(settings().org_timezone)
    board = {
        "scope": query["scope"],
        "period": query["period"],
        "period_key": period_key(query["period"], day),
        "category": query["category"],
    }
    return board, board_key(board["scope"], board["period_key"], board["category"])


@blp.route("/leaderboard")
class Leaderboard(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, PageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """A page of a board, highest points first (ties share a rank)"""
        board, key = _board(query)
        page = read_page(_redis(), key, query["limit"], query["offset"])
        return {**board, "total": page.total, "items": [asdict(row) for row in page.rows]}


@blp.route("/members/<string:staff_no>/standing")
class MemberStanding(MethodView):
    @blp.arguments(BoardQuerySchema, location="query")
    @blp.response(200, StandingSchema)
    def get(self, query: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """One member's points, rank and percentile on a board"""
        board, key = _board(query)
        return {**board, **asdict(read_standing(_redis(), key, staff_no))}


@blp.route("/leaderboard/rebuild")
class Rebuild(MethodView):
    @blp.response(202, RebuildJobSchema)
    def post(self) -> dict[str, str]:
        """Rebuild every board from the ledger, in the background"""
        job = enqueue(_redis(), REBUILD_JOB, queue_name=DEFAULT, timeout=REBUILD_TIMEOUT)
        return {"job_id": job.id}
