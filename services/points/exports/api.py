"""Exports over HTTP: /api/v1/exports. The gateway lets admins in, a subtree's admin too, who
is kept here to the units they administer: they start, list, read and download only those."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from redis.exceptions import RedisError
from sqlalchemy.orm import Session

from services.common.db import current_db, utcnow
from services.common.errors import NotFound, ServiceUnavailable
from services.common.queues import enqueue
from services.common.web import ID
from services.contracts import DEFAULT, VIEWER_HEADER
from services.points import org
from services.points.api import unit_access
from services.points.api.context import platform_settings, sender
from services.points.exports import files, store
from services.points.exports.jobs import JOB
from services.points.exports.models import DONE, FAILED, Export
from services.points.exports.schemas import (
    ExportListSchema,
    ExportRequestSchema,
    ExportSchema,
    ExportStartedSchema,
)

BINARY = {"type": "string", "format": "binary"}  # the file, in the type of its format

blp = Blueprint("exports", __name__, url_prefix="/api/v1", description="Exports for inspections")


@blp.route("/exports")
class Exports(MethodView):
    @blp.arguments(ExportRequestSchema())
    @blp.response(202, ExportStartedSchema)
    @blp.alt_response(403, description="The unit is outside the units the caller administers.")
    @blp.alt_response(503, description="The job queue is unavailable: the export is failed.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Start an export of one unit (and below) for one period, as XLSX, PDF or CSV (zip)"""
        who = request.headers.get(VIEWER_HEADER) or sender()
        with current_db().write() as session:
            unit_access.may_manage_unit(session, body["unit"], field="unit")
            export_id = store.create(session, body, who).id
        try:
            enqueue(current_app.extensions["redis"], JOB, export_id, queue_name=DEFAULT,
                    timeout=900, retries=1)  # fmt: skip
        except RedisError as exc:  # no job will come: the export must not wait "queued" forever
            with current_db().write() as session:
                store.finish(session, export_id, FAILED, "The job queue could not be reached.")
            raise ServiceUnavailable("The job queue is unavailable; try again shortly.") from exc
        return {"id": export_id}

    @blp.response(200, ExportListSchema)
    def get(self) -> dict[str, Any]:
        """The newest exports of the units the caller administers, with their progress"""
        settings, now = platform_settings(), utcnow()
        with current_db().read() as session:
            due = files.any_expired(session, settings.export_keep_days, now)
        if due:
            with current_db().write() as session:
                files.sweep(session, settings.var_dir, settings.export_keep_days, now)
        with current_db().read() as session:
            return {"items": store.visible(session, unit_access.administers)}


@blp.route(f"/exports/<{ID}:export_id>")
class ExportById(MethodView):
    @blp.response(200, ExportSchema)
    @blp.alt_response(403, description="The export's unit is outside the caller's units.")
    def get(self, export_id: int) -> dict[str, Any]:
        """One export's state, progress (0-100) and error"""
        with current_db().read() as session:
            export = _readable(session, export_id)
            return store.view(export, org.unit_codes(session), store.unit_names(session))


@blp.route(f"/exports/<{ID}:export_id>/file")
class ExportFile(MethodView):
    @blp.response(200, BINARY, content_type="application/zip")
    @blp.doc(
        responses={
            "200": {
                "description": "The file, in the type of its format.",
                "content": {t: {"schema": BINARY} for t in files.MIMETYPE.values()},
            }
        }
    )
    @blp.alt_response(403, description="The export's unit is outside the caller's units.")
    @blp.alt_response(404, description="No such export, not done yet, or its file expired.")
    def get(self, export_id: int) -> Response:
        """The export's file, under a Chinese name (RFC 5987 ``filename*``)"""
        with current_db().read() as session:
            export = _readable(session, export_id)
            name = files.download_name(export, store.unit_names(session)[export.unit_id])
        path = files.path_of(platform_settings().var_dir, export).resolve()
        if export.state != DONE or not path.exists():
            raise NotFound(f"Export {export_id} has no file (state: {export.state}).")
        return send_file(path, mimetype=files.MIMETYPE[export.format], as_attachment=True,
                         download_name=name)  # fmt: skip


def _readable(session: Session, export_id: int) -> Export:
    export = session.get(Export, export_id)
    if export is None:
        raise NotFound(f"No export {export_id}.")
    unit_access.may_manage_unit(session, org.unit_codes(session)[export.unit_id][0])
    return export
