"""The archive: final standings of closed periods ("winners of 2026-W47")."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.calendar import period_key
from services.common.db import current_db
from services.common.errors import NotFound, Unprocessable
from services.common.web import as_built
from services.leaderboard.api.context import local_today, reader
from services.leaderboard.archive.reads import archived_board
from services.leaderboard.archive.schemas import ArchivedBoardSchema, ArchiveQuerySchema

blp = Blueprint("archive", __name__, url_prefix="/api/v1/leaderboard", description="Archive")


@blp.route("/archive")
class ArchivedBoard(MethodView):
    @blp.arguments(ArchiveQuerySchema(), location="query")
    @blp.response(200, ArchivedBoardSchema)
    def get(self, query: dict[str, Any]) -> Response:
        """The final standings of a closed week, month, quarter or year"""
        try:
            key = period_key(query["period"], query["at"] or local_today())
        except ValueError as exc:  # rolling and campaign windows never close, so no archive
            raise Unprocessable(errors={"query": {"period": [str(exc)]}}) from exc
        with current_db().read() as session:
            found = archived_board(
                session, query["scope"], key, query["category"], query["limit"], query["offset"]
            )
        if found is None:
            raise NotFound(f"No archive of {query['scope']} {key} {query['category']} (yet).")
        items = reader().masked(found.pop("items"))
        return as_built(
            {
                "scope": query["scope"],
                "period": query["period"],
                "period_key": key,
                **found,
                "items": items,
            }
        )
