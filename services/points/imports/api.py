"""Imports over the API: POST /api/v1/roster/import and
POST /api/v1/sessions/<id>/sign-ins/import."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import settings
from services.points.api import unit_access
from services.points.api.context import (
    announce_members,
    ask_for_projection,
    platform_settings,
    rules,
    sender,
)
from services.points.imports import roster, roster_rows, signin_rows, signins
from services.points.imports.schemas import (
    ImportReportSchema,
    RosterQuerySchema,
    TableQuerySchema,
    TableUploadSchema,
)
from services.points.imports.upload import uploaded_table
from services.points.sessions import expected, store

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="Imports in bulk")


@blp.route("/roster/import")
class RosterImport(MethodView):
    @blp.arguments(RosterQuerySchema(), location="query")
    @blp.arguments(TableUploadSchema(), location="files")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(413, description="The file or its table is over the limits.")
    def post(self, query: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        """Import the roster (staff number, name, unit path, email?, phone?, active?): a dry
        run by default; with dry_run=false applied in one transaction, with an audit record.
        Rows per action: created, updated, moved, deactivated, unchanged, rejected."""
        table, about = uploaded_table(files["file"], roster_rows.COLUMNS, query)
        dry_run, missing = query["dry_run"], query["deactivate_missing"]
        db = current_db()
        with db.read() if dry_run else db.write() as session:
            done = roster.run(
                session, table, unit_access.administers, dry_run=dry_run, missing=missing
            )
            if not dry_run:
                options = {"deactivate_missing": missing}
                roster.record(session, done, sender(), {**about, **options}, utcnow())
        if not dry_run:
            announce_members(done.announce)
        return done.report.view()


@blp.route("/sessions/<session_id>/sign-ins/import")
class SignInImport(MethodView):
    @blp.arguments(TableQuerySchema(), location="query")
    @blp.arguments(TableUploadSchema(), location="files")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(404, description="No such session.")
    @blp.alt_response(413, description="The file or its table is over the limits.")
    def post(self, query: dict[str, Any], files: dict[str, Any], session_id: str) -> dict[str, Any]:
        """Import a session's sign-in sheet (staff number, and a status or a time): each row
        becomes the attendance event sheet:<session>:<staff_no>, through intake as any
        sign-in. A dry run by default; with dry_run=false applied, with an audit record.
        Rows per action: created, corrected (replaced an absence), unchanged, rejected."""
        table, about = uploaded_table(files["file"], signin_rows.COLUMNS, query)
        now, dry_run = utcnow(), query["dry_run"]
        context = {"rules": rules().book(), "zone": settings().org_timezone, "now": now,
                   "unknown": platform_settings().unknown_activity}  # fmt: skip
        with current_db().write() as session:
            study = store.get(session, session_id)
            store.may_manage(session, *expected.targets(session, study.id))
            report = signins.run(session, study, table, context, dry_run=dry_run)
            if not dry_run:
                signins.write_audit(session, study, report, sender(), about, now)
        if not dry_run and report.changed():
            ask_for_projection()
        return report.view()
