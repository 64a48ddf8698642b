"""A session's sign-in sheet on a page: the file (CSV or XLSX: staff number, and a status or a
time) is uploaded from the session's page, the API's dry run shows the rows it would record,
correct (an absence replaced), leave as they are and reject (each with its line and reasons),
and Apply sends exactly that file again with ``dry_run=false`` (gateway/pages/org_upload.py).
The session's figures then count the sheet's sign-ins."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page
from gateway.pages.org_upload import file_problem, kept, received, refused, send_file, shown
from gateway.pages.visitor import person

ACTIONS = ("created", "corrected", "unchanged", "rejected")


@blp.route("/admin/sessions/<session_id>/sheet", methods=["GET", "POST"])
@for_admin
def org_sign_in_sheet(session_id: str) -> Page:
    """The upload form (GET), the dry run of an uploaded ``file``, or Apply of the file
    checked (``data``)."""
    study = as_person.read(person(), f"/api/v1/sessions/{session_id}")
    if request.method == "GET":
        return _sheet(study, {})
    if "data" in request.form:
        return _apply(study)
    name, data = received()
    problem = file_problem(name, data, _("Choose the sign-in sheet (CSV or XLSX)."),
                           _("The sign-in sheet must be a CSV or XLSX file."))  # fmt: skip
    if problem:
        return _sheet(study, {"file": problem}), 422
    status, answer = _send(study, name, data, dry_run=True)
    if status != 200:
        return _sheet(study, refused(status, answer)), status
    return _sheet(study, {}, report=answer, file=shown(name, data))


def _apply(study: dict[str, Any]) -> Page:
    found = kept()
    if found is None:
        said = _("The file to apply is not the one checked: upload it again.")
        return _sheet(study, {"file": said}), 422
    status, answer = _send(study, *found, dry_run=False)
    if status != 200:
        return _sheet(study, refused(status, answer)), status
    return redirect(url_for("pages.org_session", session_id=study["id"], done="sheet"))


def _send(study: dict[str, Any], name: str, data: bytes, *, dry_run: bool) -> tuple[int, Any]:
    path = f"/api/v1/sessions/{study['id']}/sign-ins/import"
    return send_file(path, name, data, {"dry_run": str(dry_run).lower()})


def _sheet(study: dict[str, Any], errors: dict[str, str], **shown_report: Any) -> str:
    return render_template(
        "pages/org/sheet.html",
        study=study,
        errors=errors,
        actions=ACTIONS,
        report=shown_report.get("report"),
        file=shown_report.get("file"),
    )
