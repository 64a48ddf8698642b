"""One member's view: standing, every standing, around me, catch-up, movement, history."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.common.web import as_built
from services.leaderboard.api.context import (
    NO_GROUP,
    board_of,
    local_today,
    may_read_own_data,
    points,
    reader,
)
from services.leaderboard.archive.reads import member_history
from services.leaderboard.archive.schemas import HistoryQuerySchema, HistorySchema
from services.leaderboard.movement_schemas import MovementSchema
from services.leaderboard.periods import window
from services.leaderboard.reads import catch_up, movement
from services.leaderboard.reads.boards import next_better, read_around, read_standings
from services.leaderboard.reads.members import member_scopes
from services.leaderboard.reads.selection import board, previous_board
from services.leaderboard.schemas import (
    AroundQuerySchema,
    AroundSchema,
    BoardQuerySchema,
    CatchUpSchema,
    StandingSchema,
    StandingsQuerySchema,
    StandingsSchema,
)

blp = Blueprint("standings", __name__, url_prefix="/api/v1/members", description="Standings")


@blp.route("/<string:staff_no>/standing")
class MemberStanding(MethodView):
    @blp.arguments(BoardQuerySchema(), location="query")
    @blp.response(200, StandingSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any], staff_no: str) -> Response:
        """One member's points, rank and percentile on a board"""
        ctx = reader()
        ctx.may_single_out(staff_no)
        ref = board_of(query)
        [standing] = read_standings(ctx.redis, [ref.key], staff_no, ctx.hidden)
        return as_built({**ref.describe(), **ctx.mask(standing.as_dict())})


@blp.route("/<string:staff_no>/standings")
class MemberStandings(MethodView):
    @blp.arguments(StandingsQuerySchema(), location="query")
    @blp.response(200, StandingsSchema)
    def get(self, query: dict[str, Any], staff_no: str) -> Response:
        """A member's rank, points and percentile in every scope and period they belong to"""
        ctx, day = reader(), query["at"] or local_today()
        ctx.may_single_out(staff_no)
        refs = [
            board(ctx.redis, scope, window(period, day), query["category"])
            for scope in member_scopes(ctx.redis, staff_no)
            for period in dict.fromkeys(query["periods"])  # each once, in the order asked
        ]
        found = read_standings(ctx.redis, [r.key for r in refs], staff_no, ctx.hidden)
        items = [
            {
                **ref.describe(),
                **{k: v for k, v in s.as_dict().items() if k not in ("member", "name")},
            }
            for ref, s in zip(refs, found, strict=True)
        ]
        name = found[0].name if found else None
        return as_built({**ctx.mask({"member": staff_no, "name": name}), "items": items})


@blp.route("/<string:staff_no>/around")
class AroundMe(MethodView):
    @blp.arguments(AroundQuerySchema(), location="query")
    @blp.response(200, AroundSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any], staff_no: str) -> Response:
        """The members just above and below a member (fewer at the top or the bottom)"""
        ctx = reader()
        ctx.may_single_out(staff_no)
        ref = board_of(query)
        page = read_around(ctx.redis, ref.key, staff_no, query["span"], ctx.hidden)
        items = ctx.masked([row.as_dict() for row in page.rows])
        return as_built({**ref.describe(), "member": staff_no, "total": page.total, "items": items})


@blp.route("/<string:staff_no>/catch-up")
class CatchUp(MethodView):
    @blp.arguments(BoardQuerySchema(), location="query")
    @blp.response(200, CatchUpSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """How far a member is behind the next rank, and what they can still earn today"""
        ctx = reader()
        ctx.may_single_out(staff_no)
        ref = board_of(query)
        [mine] = read_standings(ctx.redis, [ref.key], staff_no, ctx.hidden)
        ahead = next_better(ctx.redis, ref.key, staff_no, ctx.hidden) if mine.rank else None
        target = None
        if ahead is not None:
            target = {**ctx.mask(ahead["standing"].as_dict()), "gap": ahead["gap"]}
        remaining, why = catch_up.remaining_today(points(), staff_no, ref.category)
        return {
            **ref.describe(),
            **ctx.mask(mine.as_dict()),
            "next": target,
            "remaining_today": remaining,
            "remaining_today_unavailable": why,
            "message": catch_up.message(mine.rank, target, remaining),
        }


@blp.route("/<string:staff_no>/movement")
class Movement(MethodView):
    @blp.arguments(BoardQuerySchema(), location="query")
    @blp.response(200, MovementSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any], staff_no: str) -> Response:
        """A member's rank now against the previous period: up, down, same or new"""
        ctx = reader()
        ctx.may_single_out(staff_no)
        now = board_of(query)
        before = previous_board(
            ctx.redis, query["scope"], now.window, query["category"], query["at"] or local_today()
        )
        moved = movement.member_movement(ctx.redis, now, before, staff_no, ctx.hidden)
        return as_built({**now.describe(), "member": staff_no, **moved})


@blp.route("/<string:staff_no>/history")
class History(MethodView):
    @blp.arguments(HistoryQuerySchema(), location="query")
    @blp.response(200, HistorySchema)
    def get(self, query: dict[str, Any], staff_no: str) -> Response:
        """A member's final standings in archived periods, newest first"""
        ctx = reader()
        may_read_own_data(ctx.redis, staff_no)
        ctx.may_single_out(staff_no)
        with current_db().read() as session:
            items = member_history(session, staff_no, **query)
        return as_built({"member": staff_no, **query, "items": items})
