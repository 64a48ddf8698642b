"""Reviewing practice reports: the queue of a reviewer's units, rubric scores, returning,
rejecting and marking exemplary; the escalated reports for admins; the exemplary lists."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.errors import Forbidden
from services.common.web import ID, settings
from services.contracts import ADMIN, REVIEWER
from services.points.api.context import rules
from services.points.reports import access, listing, review
from services.points.reports.schemas import (
    CommentSchema,
    ExemplaryQuerySchema,
    QueueQuerySchema,
    ReportOutSchema,
    ReportPageSchema,
    ScoresSchema,
)

blp = Blueprint(
    "report_review",
    __name__,
    url_prefix="/api/v1/reports",
    description="Reviewing practice reports",
)
NOT_THEIRS = "Outside the units the viewer reviews, or their own report."
WRONG_STATE = "The report's state does not allow it (the message names the state)."


@blp.route("/queue")
class Queue(MethodView):
    @blp.arguments(QueueQuerySchema(), location="query")
    @blp.response(200, ReportPageSchema)
    @blp.alt_response(403, description="The viewer reviews no unit.")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Reports waiting in the viewer's units, oldest submission first (not their own)."""
        staff_no, person = access.viewer()
        if REVIEWER not in person.units:
            raise Forbidden("Only reviewers have a queue of reports.")
        with current_db().read() as session:
            units = access.units_covered(session, person, REVIEWER)
            waiting = listing.queue(session, staff_no, units, query)
            return listing.page(session, waiting, query["limit"], query["offset"], True)


@blp.route("/escalated")
class Escalated(MethodView):
    @blp.arguments(QueueQuerySchema(), location="query")
    @blp.response(200, ReportPageSchema)
    @blp.alt_response(403, description="The viewer administers no unit.")
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Reports still waiting past the review deadline, in the units the viewer administers."""
        _, person = access.viewer()
        if ADMIN not in person.units:
            raise Forbidden("Only admins see the escalated reports.")
        with current_db().read() as session:
            units = access.units_covered(session, person, ADMIN)
            late = listing.escalated(session, units, query["unit"])
            return listing.page(session, late, query["limit"], query["offset"], True)


@blp.route("/exemplary")
class Exemplary(MethodView):
    @blp.arguments(ExemplaryQuerySchema(), location="query")
    @blp.response(200, ReportPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Exemplary reports their authors share: the organisation's, or a unit's and below.
        Every signed-in person reads them, and so does a system's read key (a lobby wall)."""
        with current_db().read() as session:
            shared = listing.exemplary(session, query["unit"])
            return listing.page(session, shared, query["limit"], query["offset"], False)


@blp.route(f"/<{ID}:report_id>/scores")
class Scores(MethodView):
    @blp.arguments(ScoresSchema())
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_THEIRS)
    @blp.alt_response(409, description=WRONG_STATE + " Or scored by the viewer already.")
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Score the report by its rubric; the round's last score needed decides it."""
        book, zone = rules().book(), settings().org_timezone
        with current_db().write() as session:
            report = access.report_by_id(session, report_id, lock=True)
            reviewer = access.reviewer(session, report)
            review.score(session, report, reviewer, body, book, zone, utcnow())
            return listing.view(session, report, reviewing=True)


@blp.route(f"/<{ID}:report_id>/return")
class Return(MethodView):
    @blp.arguments(CommentSchema())
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_THEIRS)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Return the report to its author for revision, saying what to change."""
        with current_db().write() as session:
            report = access.report_by_id(session, report_id, lock=True)
            reviewer = access.reviewer(session, report)
            review.send_back(session, report, reviewer, body["comment"], utcnow())
            return listing.view(session, report, reviewing=True)


@blp.route(f"/<{ID}:report_id>/reject")
class Reject(MethodView):
    @blp.arguments(CommentSchema())
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_THEIRS)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Reject the report, with the reason (a copy, nothing applied at work ...)."""
        book, zone = rules().book(), settings().org_timezone
        with current_db().write() as session:
            report = access.report_by_id(session, report_id, lock=True)
            reviewer = access.reviewer(session, report)
            review.reject(session, report, reviewer, body["comment"], book, zone, utcnow())
            return listing.view(session, report, reviewing=True)


@blp.route(f"/<{ID}:report_id>/exemplary")
class MarkExemplary(MethodView):
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_THEIRS)
    @blp.alt_response(409, description="The report is not approved.")
    def post(self, report_id: int) -> dict[str, Any]:
        """Mark an approved report exemplary (listed once its author shares it)."""
        with current_db().write() as session:
            report = access.report_by_id(session, report_id, lock=True)
            review.mark_exemplary(report, access.reviewer(session, report), utcnow())
            return listing.view(session, report, reviewing=True)
