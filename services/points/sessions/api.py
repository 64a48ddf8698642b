"""Study sessions over HTTP: /api/v1/sessions (schedule, series, read, change, cancel, close,
figures) and /api/v1/members/<staff_no>/sessions. The gateway lets admins in (a subtree's
admin too, kept to their units here); reads are for every caller with the read scope."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import settings
from services.points import groups
from services.points.api import unit_access
from services.points.api.context import ask_for_projection, platform_settings, rules, sender
from services.points.schemas import PageQuerySchema
from services.points.sessions import closing, expected, figures, store
from services.points.sessions.schemas import (
    ClosedSchema,
    MemberSessionsSchema,
    SeriesOutSchema,
    SeriesSchema,
    SessionFiguresSchema,
    SessionOutSchema,
    SessionPageSchema,
    SessionPatchSchema,
    SessionQuerySchema,
    SessionSchema,
)
from services.points.sessions.views import session_views

blp = Blueprint("sessions", __name__, url_prefix="/api/v1", description="Study sessions")


def _zone() -> str:
    return settings().org_timezone


def _groups(expected: dict[str, Any] | None) -> dict[str, list[str]]:
    """The members of the groups named, from the leaderboard, before any write (503 when it
    cannot answer: then nothing changes)."""
    return groups.fetch((expected or {}).get("groups", ()), ("expected", "groups"))


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(SessionQuerySchema(), location="query")
    @blp.response(200, SessionPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Sessions by start, optionally from/to a time, of one state or series."""
        with current_db().read() as session:
            return store.page(session, query, _zone())

    @blp.arguments(SessionSchema())
    @blp.response(201, SessionOutSchema)
    @blp.alt_response(503, description="The leaderboard, which keeps the groups, cannot answer.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Schedule a session for units (with everything below them), custom groups (their
        members now) and named members."""
        grace = platform_settings().session_grace_minutes
        fetched = _groups(body["expected"])
        with current_db().write() as session:
            return store.create(session, body, fetched, _zone(), grace, sender())


@blp.route("/sessions/series")
class Series(MethodView):
    @blp.arguments(SeriesSchema())
    @blp.response(201, SeriesOutSchema)
    @blp.alt_response(503, description="The leaderboard, which keeps the groups, cannot answer.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Schedule a weekly series (a weekday and local time, from a date until a date or a
        number of times) in one call."""
        grace = platform_settings().session_grace_minutes
        fetched = _groups(body["expected"])
        with current_db().write() as session:
            return store.create_series(session, body, fetched, _zone(), grace, sender())


@blp.route("/sessions/<session_id>")
class SessionById(MethodView):
    @blp.response(200, SessionOutSchema)
    def get(self, session_id: str) -> dict[str, Any]:
        """One session."""
        with current_db().read() as session:
            return session_views(session, [store.get(session, session_id)])[0]

    @blp.arguments(SessionPatchSchema(), required=False)
    @blp.response(200, SessionOutSchema)
    @blp.alt_response(409, description="The session has started or was cancelled.")
    @blp.alt_response(503, description="The leaderboard, which keeps the groups, cannot answer.")
    def patch(self, changes: dict[str, Any], session_id: str) -> dict[str, Any]:
        """Change a session before it starts (``expected`` replaces whom it expects: groups
        named again are fetched again)."""
        fetched = _groups(changes.get("expected"))
        with current_db().write() as session:
            return store.update(session, session_id, changes, fetched, _zone(), utcnow())


@blp.route("/sessions/<session_id>/cancel")
class Cancel(MethodView):
    @blp.response(200, SessionOutSchema)
    @blp.alt_response(409, description="The session is closed.")
    def post(self, session_id: str) -> dict[str, Any]:
        """Cancel a session (again: harmless). A cancelled session is never closed."""
        with current_db().write() as session:
            return store.cancel(session, session_id, utcnow())


@blp.route("/sessions/<session_id>/close")
class Close(MethodView):
    @blp.response(200, ClosedSchema)
    @blp.alt_response(409, description="The session was cancelled or has not started.")
    def post(self, session_id: str) -> dict[str, Any]:
        """Close a session: ``absent`` (or ``excused``, for an approved excuse) for every
        expected member with no record. Closing again records nothing more."""
        book = rules().book()
        with current_db().write() as session:
            study = store.get(session, session_id)
            store.may_manage(session, *expected.targets(session, study.id))
            done = closing.close(session, study.id, book, _zone(), utcnow())
            done["session"] = session_views(session, [study])[0]
        if done["absent"] or done["excused"]:
            ask_for_projection()
        return done


@blp.route("/sessions/<session_id>/figures")
class Figures(MethodView):
    @blp.response(200, SessionFiguresSchema)
    def get(self, session_id: str) -> dict[str, Any]:
        """Expected, on time, late, excused, absent and rate, in all and per unit."""
        with current_db().read() as session:
            return figures.of_session(session, session_id)


@blp.route("/members/<staff_no>/sessions")
class MemberSessions(MethodView):
    @blp.arguments(PageQuerySchema(), location="query")
    @blp.response(200, MemberSessionsSchema)
    def get(self, query: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """A member's sessions, newest first, with their record: for the member, and for
        reviewers and admins of their units."""
        with current_db().read() as session:
            unit_access.may_read_member(session, staff_no)
            return figures.of_member(session, staff_no, query["limit"], query["offset"])
