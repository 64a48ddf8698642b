"""Excuses over HTTP: a signed-in member sends theirs and reads it; an admin of their unit
lists and decides them."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.errors import Forbidden
from services.common.web import settings
from services.contracts import VIEWER_HEADER
from services.points.api import unit_access
from services.points.api.context import ask_for_projection, rules, sender
from services.points.sessions import excuses
from services.points.sessions.schemas import (
    DecisionSchema,
    ExcuseOutSchema,
    ExcusePageSchema,
    ExcuseQuerySchema,
    ExcuseSchema,
)

blp = Blueprint("session_excuses", __name__, url_prefix="/api/v1/sessions", description="Excuses")


def _viewer() -> str:
    staff_no = request.headers.get(VIEWER_HEADER)
    if not staff_no or unit_access.reach() is None:
        raise Forbidden("Only a signed-in member sends an excuse, their own.")
    return staff_no


@blp.route("/<session_id>/excuses")
class Excuses(MethodView):
    @blp.arguments(ExcuseSchema())
    @blp.response(201, ExcuseOutSchema)
    @blp.alt_response(409, description="An excuse was sent already, or the session cancelled.")
    def post(self, body: dict[str, Any], session_id: str) -> dict[str, Any]:
        """Send your excuse for a session you are expected at, before it or after."""
        staff_no = _viewer()
        with current_db().write() as session:
            return excuses.submit(session, session_id, staff_no, body["reason"], utcnow())

    @blp.arguments(ExcuseQuerySchema(), location="query")
    @blp.response(200, ExcusePageSchema)
    def get(self, query: dict[str, Any], session_id: str) -> dict[str, Any]:
        """A session's excuses, oldest first (a subtree's admin sees their units' only)."""
        with current_db().read() as session:
            return excuses.page(session, session_id, query)


@blp.route("/<session_id>/excuses/<staff_no>")
class ExcuseOf(MethodView):
    @blp.response(200, ExcuseOutSchema)
    def get(self, session_id: str, staff_no: str) -> dict[str, Any]:
        """A member's excuse and its state: for the member, reviewers and admins of theirs."""
        with current_db().read() as session:
            unit_access.may_read_member(session, staff_no)
            return excuses.one(session, session_id, staff_no)


@blp.route("/<session_id>/excuses/<staff_no>/decision")
class Decision(MethodView):
    @blp.arguments(DecisionSchema())
    @blp.response(200, ExcuseOutSchema)
    @blp.alt_response(409, description="The excuse was decided already.")
    def post(self, body: dict[str, Any], session_id: str, staff_no: str) -> dict[str, Any]:
        """Approve or reject a pending excuse (an admin of the member's unit). Approved after
        closing, it replaces the member's absence and the ledger is corrected."""
        book = rules().book()
        with current_db().write() as session:
            args = (session, session_id, staff_no, body, sender(), book)
            answer = excuses.decide(*args, settings().org_timezone, utcnow())
        ask_for_projection()
        return answer
