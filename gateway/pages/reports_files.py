"""Files beside a practice report on the pages: the author attaches one with a multipart form
(sent on to ``POST /api/v1/reports/<id>/attachments`` as the file's own bytes and content
type, gateway/as_person.send_raw) or removes one; whoever may read the report downloads them.

The page checks the file's name and size first (a message next to the field, 422 or 413); the
points service then checks its content against the type the name gives, and its refusals are
said next to the field in the same way."""

from __future__ import annotations

from pathlib import PurePath

from flask import current_app, redirect, render_template
from flask import request as incoming
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from gateway import as_person
from gateway.as_person import Refused
from gateway.pages import blp
from gateway.pages.errors import page
from gateway.pages.reports import API, STATE_CHANGED, show
from gateway.pages.reports_words import megabytes
from gateway.pages.visitor import for_person, person

Page = tuple[str, int] | Response | str
# The kinds the points service takes (services/points/reports/attachments.py), by file name.
TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PASSED_ON = ("Content-Type", "Content-Disposition", "X-Content-Type-Options")


@blp.errorhandler(RequestEntityTooLarge)
def _body_too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A form larger than any request may be (MAX_BODY_BYTES) is refused before its CSRF
    token can be read: an attachment's says so next to its field, any other form on a page."""
    report_id = (incoming.view_args or {}).get("report_id")
    if incoming.endpoint == "pages.attach_file" and isinstance(report_id, int):
        return show(report_id, {"file": too_large()}), 413
    return render_template(
        "pages/error.html", status=413, said=_("What was sent is too large.")
    ), 413


def _largest() -> int:
    limit: int = current_app.config["SETTINGS"].report_attachment_max_bytes
    return limit


def too_large() -> str:
    return str(_("The file is too large: at most %(size)s MB.", size=megabytes(_largest())))


@blp.post("/reports/<int:report_id>/files")
@for_person
def attach_file(report_id: int) -> Page:
    try:
        upload = incoming.files.get("file")
    except RequestEntityTooLarge:
        return show(report_id, {"file": too_large()}), 413
    name = PurePath(upload.filename or "").name if upload else ""
    if not upload or not name:
        return show(report_id, {"file": _("Choose a file to attach.")}), 422
    kind = TYPES.get(PurePath(name).suffix.lower())
    if kind is None:
        return show(report_id, {"file": _("Only PDF, PNG, JPEG, DOCX or XLSX files.")}), 422
    data = upload.read(_largest() + 1)
    if len(data) > _largest():
        return show(report_id, {"file": too_large()}), 413
    path, query = f"{API}/{report_id}/attachments", {"name": name[:200]}
    answer = as_person.send_raw(person(), "POST", path, data, kind, query)
    if answer.status == 201:
        return redirect(f"/reports/{report_id}?done=attached")
    said = {
        413: too_large(),
        422: _("The file's content is not what its name says, or is empty."),
        409: str(STATE_CHANGED),
    }.get(answer.status)
    if said is None:
        raise Refused("points", answer)
    return show(report_id, {"file": said}), answer.status


@blp.post("/reports/<int:report_id>/files/<int:file_id>/remove")
@for_person
def remove_file(report_id: int, file_id: int) -> Page:
    path = f"{API}/{report_id}/attachments/{file_id}"
    status, answer = as_person.send(person(), "DELETE", path)
    if status == 204:
        return redirect(f"/reports/{report_id}?done=removed")
    if status == 409:
        return show(report_id, {"form": str(STATE_CHANGED)}), 409
    return page(status, (answer or {}).get("message"))


@blp.get("/reports/<int:report_id>/files/<int:file_id>")
@for_person
def download_file(report_id: int, file_id: int) -> Response:
    path = f"{API}/{report_id}/attachments/{file_id}"
    answer = as_person.send_raw(person(), "GET", path)
    if answer.status != 200:
        raise Refused("points", answer)
    headers = {name: answer.headers[name] for name in PASSED_ON if name in answer.headers}
    return Response(answer.data, status=200, headers=headers)
