"""/api/v1/reports/<id>/attachments: small files beside a report (attachments.py says which)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from services.common.db import current_db, utcnow
from services.common.web import ID
from services.points.api.context import platform_settings
from services.points.reports import access, attachments
from services.points.reports.schemas import AttachmentOutSchema
from services.points.schemas import StrictSchema

blp = Blueprint(
    "report_attachments",
    __name__,
    url_prefix="/api/v1/reports",
    description="Files attached to practice reports",
)
BINARY = {"schema": {"type": "string", "format": "binary"}}


class UploadQuerySchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


@blp.route(f"/<{ID}:report_id>/attachments")
class Attachments(MethodView):
    @blp.arguments(UploadQuerySchema(), location="query")
    @blp.doc(
        requestBody={
            "required": True,
            "description": "The file's bytes, with its Content-Type.",
            "content": {kind: BINARY for kind in attachments.ALLOWED},
        }
    )
    @blp.response(201, AttachmentOutSchema)
    @blp.alt_response(403, description="Not the viewer's report.")
    @blp.alt_response(409, description="The report is not editable, or holds its most files.")
    @blp.alt_response(413, description="Larger than REPORT_ATTACHMENT_MAX_BYTES.")
    @blp.alt_response(422, description="The content is not an allowed kind, or not as declared.")
    def post(self, query: dict[str, Any], report_id: int) -> dict[str, Any]:
        """Attach a file (PDF, PNG, JPEG, DOCX or XLSX, checked by its content) to a draft or
        a returned report."""
        limit = platform_settings().report_attachment_max_bytes
        declared = request.content_type or ""
        with current_db().write() as session:
            report = access.own(session, report_id)
            data = request.get_data(cache=False)
            found = attachments.add(session, report, query["name"], declared, data, limit, utcnow())
            return {
                "id": found.id,
                "name": found.name,
                "content_type": found.content_type,
                "size": found.size,
            }


@blp.route(f"/<{ID}:report_id>/attachments/<{ID}:attachment_id>")
class AttachmentById(MethodView):
    @blp.response(
        200, {"type": "string", "format": "binary"}, content_type="application/octet-stream"
    )
    @blp.alt_response(403, description="The viewer may not read the report.")
    def get(self, report_id: int, attachment_id: int) -> Response:
        """The file, for those who may read the report."""
        with current_db().read() as session:
            report, _ = access.readable(session, report_id)
            found = attachments.one(session, report, attachment_id)
            disposition = f"attachment; filename*=UTF-8''{quote(found.name)}"
            headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"}
            return Response(found.data, mimetype=found.content_type, headers=headers)

    @blp.response(204)
    @blp.alt_response(403, description="Not the viewer's report.")
    @blp.alt_response(409, description="The report is not editable.")
    def delete(self, report_id: int, attachment_id: int) -> None:
        """Remove a file from a draft or a returned report."""
        with current_db().write() as session:
            attachments.remove(session, access.own(session, report_id), attachment_id)
