"""Roster import on a page: the HR file is uploaded, the API's dry run shows what would be
created, updated, moved, deactivated, left as it is and rejected (each row with its line and
reasons), and Apply sends exactly that file again with ``dry_run=false`` (gateway/pages/
org_upload.py: the page keeps no file, Apply refuses one that is not the file checked). The
API checks the units of every row either way.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page
from gateway.pages.org_upload import file_problem, kept, received, refused, send_file, shown

IMPORT = "/api/v1/roster/import"
ACTIONS = ("created", "updated", "moved", "deactivated", "unchanged", "rejected")


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
    name, data = received()
    problem = file_problem(name, data, _("Choose the roster file (CSV or XLSX)."),
                           _("The roster must be a CSV or XLSX file."))  # fmt: skip
    if problem:
        return _again({"file": problem}, 422)
    status, answer = _send(name, data, dry_run=True, missing=missing)
    if status != 200:
        return _again(refused(status, answer), status)
    return render_template(
        "pages/org/roster.html",
        errors={},
        report=answer,
        actions=ACTIONS,
        file=shown(name, data),
        missing=missing,
    )


def _apply(missing: bool) -> Page:
    found = kept()
    if found is None:
        return _again({"file": _("The file to apply is not the one checked: upload it again.")})
    status, answer = _send(*found, dry_run=False, missing=missing)
    if status != 200:
        return _again(refused(status, answer), status)
    return redirect(url_for("pages.org_roster", done="roster", **answer["counts"]))


def _send(name: str, data: bytes, *, dry_run: bool, missing: bool) -> tuple[int, Any]:
    query = {"dry_run": str(dry_run).lower(), "deactivate_missing": str(missing).lower()}
    return send_file(IMPORT, name, data, query)


def _again(errors: dict[str, str], status: int = 422) -> Page:
    return render_template("pages/org/roster.html", errors=errors, report=None, applied={}), status
