"""Imports over the API: POST /api/v1/roster/import."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.points.api import unit_access
from services.points.api.context import announce_members, sender
from services.points.imports import roster, roster_rows
from services.points.imports.schemas import ImportReportSchema, RosterQuerySchema, TableUploadSchema
from services.points.imports.upload import uploaded_table

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
