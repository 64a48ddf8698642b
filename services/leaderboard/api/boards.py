"""Boards: pages, side-by-side comparisons, most improved, team standings."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.web import as_built
from services.leaderboard.api.context import NO_GROUP, board_of, local_today, reader, window_of
from services.leaderboard.movement_schemas import (
    ImprovedQuerySchema,
    ImprovedSchema,
    LeaderboardQuerySchema,
    LeaderboardSchema,
)
from services.leaderboard.periods import previous
from services.leaderboard.reads import movement, teams
from services.leaderboard.reads.boards import read_page, read_standings
from services.leaderboard.reads.selection import BoardRef, previous_board
from services.leaderboard.schemas import (
    CompareQuerySchema,
    CompareSchema,
    TeamQuerySchema,
    TeamsImprovedSchema,
    TeamsSchema,
)

blp = Blueprint("boards", __name__, url_prefix="/api/v1/leaderboard", description="Boards")


@blp.route("")
class Leaderboard(MethodView):
    @blp.arguments(LeaderboardQuerySchema(), location="query")
    @blp.response(200, LeaderboardSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any]) -> Response:
        """A page of a board, highest points first (ties share a rank), with each row's
        movement since the period before when asked"""
        ctx, ref = reader(), board_of(query)
        page = read_page(ctx.redis, ref.key, query["limit"], query["offset"], ctx.hidden)
        items, since = [row.as_dict() for row in page.rows], {}
        if query["movement"]:
            before = previous_board(
                ctx.redis, query["scope"], ref.window, query["category"], _at(query, ref)
            )
            items = movement.rows_moved(ctx.redis, items, before, ctx.hidden)
            since = {"previous_period_key": before.window.period_key}
        body = {**ref.describe(), "total": page.total, **since, "items": ctx.masked(items)}
        return as_built(body)


@blp.route("/compare")
class Compare(MethodView):
    @blp.arguments(CompareQuerySchema(), location="query")
    @blp.response(200, CompareSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any]) -> Response:
        """Two or more members on one board, or two or more units, side by side"""
        ctx, ref = reader(), board_of(query)
        if query["units"]:
            rows = teams.unit_rows(
                ctx.redis, query["units"], ref.window, query["category"], ctx.hidden
            )
            return as_built(
                {
                    **ref.describe(),
                    "units": [r.view() for r in teams.rank_rows(rows, query["by"])],
                }
            )
        ctx.may_single_out(*query["members"])
        items = [
            ctx.mask(s.as_dict())
            for m in query["members"]
            for s in read_standings(ctx.redis, [ref.key], m, ctx.hidden)
        ]
        return as_built({**ref.describe(), "members": items})


@blp.route("/improved")
class Improved(MethodView):
    @blp.arguments(ImprovedQuerySchema(), location="query")
    @blp.response(200, ImprovedSchema)
    @blp.alt_response(404, description=NO_GROUP)
    def get(self, query: dict[str, Any]) -> Response:
        """Most improved members: largest gain in points (or places) on the period before"""
        ctx, now = reader(), board_of(query)
        before = previous_board(
            ctx.redis, query["scope"], now.window, query["category"], _at(query, now)
        )
        read = movement.improved_by_rank if query["by"] == "rank" else movement.improved_by_points
        result = read(ctx.redis, now, before, ctx.hidden, query["limit"], query["offset"])
        items = ctx.masked(result["items"])
        return as_built(
            {
                **now.describe(),
                "previous_period_key": before.window.period_key,
                **result,
                "items": items,
            }
        )


@blp.route("/teams")
class Teams(MethodView):
    @blp.arguments(TeamQuerySchema(), location="query")
    @blp.response(200, TeamsSchema)
    def get(self, query: dict[str, Any]) -> Response:
        """Units against their sibling units: per member, participation, or total"""
        ctx, current = reader(), window_of(query)
        rows = teams.standings(
            ctx.redis, query["parent"], current, query["category"], ctx.hidden, query["by"]
        )
        org = BoardRef("org", current, query["category"], key="")  # named, never read
        return as_built(
            {
                **org.describe(),
                "parent": query["parent"],
                "by": query["by"],
                "items": [r.view() for r in rows],
            }
        )


@blp.route("/teams/improved")
class TeamsImproved(MethodView):
    @blp.arguments(TeamQuerySchema(), location="query")
    @blp.response(200, TeamsImprovedSchema)
    def get(self, query: dict[str, Any]) -> Response:
        """Most improved units: largest gain per member (or participation, total) on the
        period before"""
        ctx, current = reader(), window_of(query)
        if current.period == "all":
            current = window_of({**query, "period": "week"})
        before = previous(current)
        items = teams.improved(
            ctx.redis, query["parent"], current, before, query["category"], ctx.hidden, query["by"]
        )
        return as_built(
            {
                "period_key": current.period_key,
                "previous_period_key": before.period_key,
                "by": query["by"],
                "items": items,
            }
        )


def _at(query: dict[str, Any], ref: Any) -> Any:
    return query.get("at") or local_today()
