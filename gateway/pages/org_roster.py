"""Roster import on a page: the HR file is uploaded, the API's dry run shows what would be
created, updated, moved, deactivated, left as it is and rejected (each row with its line and
reasons), and Apply sends exactly that file again with ``dry_run=false``.

The page keeps no file: the report's form carries it back (base64) with its SHA-256, and
Apply refuses a file whose digest is not the one checked. So a file is applied only as it was
shown; the API checks the units of every row either way. The form holding the file must fit
the body limit, so a page takes files up to three quarters of it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from urllib3 import encode_multipart_formdata

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page, field_errors
from gateway.pages.visitor import person

IMPORT = "/api/v1/roster/import"
ACTIONS = ("created", "updated", "moved", "deactivated", "unchanged", "rejected")
SUFFIXES = (".csv", ".xlsx")


def page_limit() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"]) * 3 // 4 - 4096


@blp.get("/admin/roster")
@for_admin
def org_roster() -> Page:
    applied = {a: request.args.get(a, type=int) for a in ACTIONS if a in request.args}
    return render_template("pages/org/roster.html", errors={}, report=None, applied=applied)


@blp.post("/admin/roster")
@for_admin
def org_roster_check() -> Page:
    """The dry run of an uploaded file (``file``), or Apply of the one checked (``data``)."""
    missing = request.form.get("deactivate_missing") == "true"
    if "data" in request.form:
        return _apply(missing)
    upload = request.files.get("file")
    data = upload.read(page_limit() + 1) if upload else b""
    name = (upload.filename or "") if upload else ""
    problem = _file_problem(name, data)
    if problem:
        return _again({"file": problem}, 422)
    status, answer = _send(name, data, dry_run=True, missing=missing)
    if status != 200:
        return _again(_refused(status, answer), status)
    return render_template(
        "pages/org/roster.html",
        errors={},
        report=answer,
        actions=ACTIONS,
        file={"name": name, "data": base64.b64encode(data).decode(), "digest": _digest(data)},
        missing=missing,
    )


def _apply(missing: bool) -> Page:
    try:
        data = base64.b64decode(request.form["data"], validate=True)
    except (binascii.Error, ValueError):
        data = b""
    name = request.form.get("name", "")[:200]
    if not data or _digest(data) != request.form.get("digest"):
        return _again({"file": _("The file to apply is not the one checked: upload it again.")})
    status, answer = _send(name, data, dry_run=False, missing=missing)
    if status != 200:
        return _again(_refused(status, answer), status)
    return redirect(url_for("pages.org_roster", done="roster", **answer["counts"]))


def _file_problem(name: str, data: bytes) -> str | None:
    if not name:
        return str(_("Choose the roster file (CSV or XLSX)."))
    if not name.lower().endswith(SUFFIXES):
        return str(_("The roster must be a CSV or XLSX file."))
    if not data:
        return str(_("The file is empty."))
    if len(data) > page_limit():
        return str(_("The file is larger than %(n)d KB.", n=page_limit() // 1024))
    return None


def _refused(status: int, answer: Any) -> dict[str, str]:
    if status == 413:
        return {"file": _("The file or its table is over the platform's limits.")}
    return field_errors(status, answer, {"file": "file"})


def _send(name: str, data: bytes, *, dry_run: bool, missing: bool) -> tuple[int, Any]:
    body, content_type = encode_multipart_formdata({"file": (name, data)})
    query = {"dry_run": str(dry_run).lower(), "deactivate_missing": str(missing).lower()}
    return as_person.decoded(
        as_person.send_raw(person(), "POST", IMPORT, body, content_type, query)
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _again(errors: dict[str, str], status: int = 422) -> Page:
    return render_template("pages/org/roster.html", errors=errors, report=None, applied={}), status
