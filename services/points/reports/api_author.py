"""/api/v1/reports: a member's own practice reports (drafts, submission, appeal, sharing),
and reading one report with its transitions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import ID
from services.points.api.context import platform_settings
from services.points.reports import access, drafts, listing, states
from services.points.reports.schemas import (
    CommentSchema,
    MineQuerySchema,
    ReportOutSchema,
    ReportPageSchema,
    ReportPatchSchema,
    ReportSchema,
    SharingSchema,
    TransitionListSchema,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Practice reports")
NOT_YOURS = "Not the viewer's report, or not a signed-in person."
WRONG_STATE = "The report's state does not allow it (the message names the state)."


@blp.route("")
class Reports(MethodView):
    @blp.arguments(MineQuerySchema(), location="query")
    @blp.response(200, ReportPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The viewer's own reports, newest first."""
        staff_no, _ = access.viewer()
        with current_db().read() as session:
            mine = listing.mine(session, staff_no, query["state"])
            return listing.page(session, mine, query["limit"], query["offset"], False)

    @blp.arguments(ReportSchema())
    @blp.response(201, ReportOutSchema)
    @blp.alt_response(403, description=NOT_YOURS)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Write a draft report: what was learned, how it was applied at work, the result."""
        staff_no, _ = access.viewer()
        with current_db().write() as session:
            report = drafts.create(session, staff_no, body, utcnow())
            return listing.view(session, report)


@blp.route(f"/<{ID}:report_id>")
class ReportById(MethodView):
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description="A draft of someone else, or outside your units.")
    def get(self, report_id: int) -> dict[str, Any]:
        """One report; its reviewers also see the scores and the near copy found on submit."""
        with current_db().read() as session:
            report, how = access.readable(session, report_id)
            return listing.view(session, report, reviewing=how == access.REVIEWING)

    @blp.arguments(ReportPatchSchema(), required=False)
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_YOURS)
    @blp.alt_response(409, description=WRONG_STATE)
    def patch(self, changes: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Edit a draft, or a report returned for revision."""
        with current_db().write() as session:
            report = access.own(session, report_id)
            drafts.edit(session, report, changes, utcnow())
            return listing.view(session, report)

    @blp.response(204)
    @blp.alt_response(403, description=NOT_YOURS)
    @blp.alt_response(409, description=WRONG_STATE)
    def delete(self, report_id: int) -> None:
        """Delete a draft (a submitted report stays, with its history)."""
        with current_db().write() as session:
            drafts.remove(session, access.own(session, report_id))


@blp.route(f"/<{ID}:report_id>/submit")
class Submit(MethodView):
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_YOURS)
    @blp.alt_response(409, description=WRONG_STATE)
    def post(self, report_id: int) -> dict[str, Any]:
        """Submit a draft, or resubmit a returned report, for review."""
        threshold = platform_settings().report_similarity_threshold
        with current_db().write() as session:
            report = access.own(session, report_id)
            drafts.submit(session, report, access.viewer()[0], threshold, utcnow())
            return listing.view(session, report)


@blp.route(f"/<{ID}:report_id>/appeal")
class Appeal(MethodView):
    @blp.arguments(CommentSchema())
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_YOURS)
    @blp.alt_response(409, description="Not approved or rejected, or appealed once already.")
    def post(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Appeal a rating or a rejection, once; a reviewer who has not scored it decides."""
        with current_db().write() as session:
            report = access.own(session, report_id)
            drafts.appeal(session, report, access.viewer()[0], body["comment"], utcnow())
            return listing.view(session, report)


@blp.route(f"/<{ID}:report_id>/sharing")
class Sharing(MethodView):
    @blp.arguments(SharingSchema())
    @blp.response(200, ReportOutSchema)
    @blp.alt_response(403, description=NOT_YOURS)
    def put(self, body: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Whether the report, once marked exemplary, is listed to others."""
        with current_db().write() as session:
            report = access.own(session, report_id)
            drafts.share(report, body["shared"], utcnow())
            return listing.view(session, report)


@blp.route(f"/<{ID}:report_id>/transitions")
class Transitions(MethodView):
    @blp.response(200, TransitionListSchema)
    @blp.alt_response(403, description="A draft of someone else, or outside your units.")
    def get(self, report_id: int) -> dict[str, Any]:
        """Every state the report went through: who moved it, when, from, to, and why."""
        with current_db().read() as session:
            report, _ = access.readable(session, report_id)
            return {"report": report.id, "items": states.history(session, report.id)}
