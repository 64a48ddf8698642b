"""/api/v1/report-rubrics: the rubrics reviewers score reports by, written by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db
from services.common.web import ID
from services.points.api.context import sender
from services.points.api.unit_access import may_manage_unit
from services.points.reports import rubrics

blp = Blueprint(
    "report_rubrics",
    __name__,
    url_prefix="/api/v1/report-rubrics",
    description="Rubrics for practice reports",
)


@blp.route("")
class Rubrics(MethodView):
    @blp.response(200, rubrics.RubricListSchema)
    def get(self) -> dict[str, Any]:
        """Every rubric version, newest (the one new submissions take) first."""
        with current_db().read() as session:
            return {"items": [rubrics.view(r) for r in rubrics.listed(session)]}

    @blp.arguments(rubrics.RubricSchema())
    @blp.response(201, rubrics.RubricOutSchema)
    @blp.alt_response(403, description="Only an admin of the whole organisation writes one.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Write a rubric (under an existing name: its next version). Reports submitted from
        now on are scored by it; those submitted before keep theirs."""
        with current_db().write() as session:
            may_manage_unit(session, None)
            return rubrics.view(rubrics.create(session, body, sender()))


@blp.route(f"/<{ID}:rubric_id>")
class RubricById(MethodView):
    @blp.response(200, rubrics.RubricOutSchema)
    def get(self, rubric_id: int) -> dict[str, Any]:
        """One rubric version."""
        with current_db().read() as session:
            return rubrics.view(rubrics.by_id(session, rubric_id))
