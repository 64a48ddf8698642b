"""``/admin/exports``: an admin picks a unit, a period and a format, and follows the exports
being made (the list refreshes itself while one is still running) until the file can be
downloaded. Everything goes through ``/api/v1/exports`` as the admin: the points service keeps
a unit's admin to their units, and what it refuses is said next to the field it names."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway import as_person
from gateway.as_person import Refused
from gateway.pages import blp
from gateway.pages.admin import admin_units, for_admin
from gateway.pages.admins import parse_day, today
from gateway.pages.org_common import Page, field_errors
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person
from services.common import i18n

API = "/api/v1/exports"
FIELDS = {"unit": "unit", "from": "from", "to": "to", "format": "format"}
FORMATS = ("xlsx", "pdf", "csv")
PASSED_ON = ("Content-Type", "Content-Disposition", "Content-Length")
UNFINISHED = ("queued", "running")


@blp.route("/admin/exports", methods=["GET", "POST"])
@for_admin
def exports() -> Page:
    form = _form()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        errors = _errors(form)
        status = 422
        if not errors:
            # The file's headings in the language the person reads the page in.
            body = {**form, "language": i18n.negotiated()}
            status, answer = as_person.send(person(), "POST", API, body)
            if status == 202:
                return redirect(url_for("pages.exports", done="started"))
            errors = field_errors(status, answer, FIELDS) if status != 403 else _not_yours()
    html = render_template(
        "pages/exports/page.html", form=form, errors=errors, units=_units(), formats=FORMATS,
        started=request.args.get("done") == "started", **_listing(),
    )  # fmt: skip
    return html, status


@blp.get("/admin/exports/list")
@for_admin
def exports_list() -> str:
    """The list alone, which the page asks for again every few seconds while one runs."""
    return render_template("pages/exports/list.html", **_listing())


@blp.get("/admin/exports/<int:export_id>/file")
@for_admin
def export_file(export_id: int) -> Response:
    answer = as_person.send_raw(person(), "GET", f"{API}/{export_id}/file")
    if answer.status != 200:
        raise Refused("points", answer)
    headers = {name: answer.headers[name] for name in PASSED_ON if name in answer.headers}
    return Response(answer.data, status=200, headers=headers)


def _form() -> dict[str, str]:
    if request.method == "POST":
        return {k: request.form.get(k, "").strip() for k in FIELDS}
    now = today()
    start = date(now.year, now.month, 1)  # this month so far: the usual inspection
    return {"unit": "", "from": start.isoformat(), "to": now.isoformat(), "format": "xlsx"}


def _errors(form: dict[str, str]) -> dict[str, str]:
    """What the page checks itself; the rest (a period back to front, too long) the API says."""
    errors = {}
    if not form["unit"]:
        errors["unit"] = _("Choose a unit.")
    for name in ("from", "to"):
        if parse_day(form[name]) is None:
            errors[name] = _("Enter a date like 2026-11-30.")
    if form["format"] not in FORMATS:
        errors["format"] = _("Choose XLSX, PDF or CSV.")
    return errors


def _not_yours() -> dict[str, str]:
    return {"unit": _("This unit is outside the units you administer.")}


def _units() -> list[dict[str, Any]]:
    """The units the admin may export: all, or their subtrees."""
    tree = unit_tree()
    mine = set(admin_units())
    if not mine:
        return tree
    kept, inside = [], -1  # inside: the depth of the subtree being walked, -1 for none
    for unit in tree:
        if inside >= 0 and unit["depth"] <= inside:
            inside = -1
        if inside < 0 and unit["code"] in mine:
            inside = unit["depth"]
        if inside >= 0:
            kept.append(unit)
    return kept


def _listing() -> dict[str, Any]:
    items = as_person.read(person(), API)["items"]
    return {"items": items, "polling": any(e["state"] in UNFINISHED for e in items)}
