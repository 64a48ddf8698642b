"""Members and units: the organisation tree with each unit's active members, and a new unit
under any unit the person administers (the API says which: a refusal is the 403 page)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import admin_units, for_admin
from gateway.pages.org_common import CODE, Page, Shown, done_notice, field_errors, required
from gateway.pages.visitor import person

UNIT_FIELDS = {"code": "code", "name": "name", "parent": "parent"}


def unit_tree() -> list[dict[str, Any]]:
    """Every unit, depth first with its depth, children by code."""
    status, listed = as_person.send(person(), "GET", "/api/v1/units")  # a list, not an object
    if status != 200 or not isinstance(listed, list):
        raise Shown(status if status != 200 else 502, None)
    below: dict[str | None, list[dict[str, Any]]] = {}
    for unit in listed:
        below.setdefault(unit.get("parent"), []).append(unit)
    ordered: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for unit in sorted(below.get(parent, []), key=lambda u: u["code"]):
            ordered.append({**unit, "depth": depth})
            walk(unit["code"], depth + 1)

    walk(None, 0)
    return ordered


def active_count(code: str) -> int:
    page = as_person.read(person(), "/api/v1/members", {"unit": code, "active": "true", "limit": 1})
    return int(page["total"])


@blp.route("/admin/units", methods=["GET", "POST"])
@for_admin
def org_units() -> Page:
    form = {k: request.form.get(k, "").strip() for k in UNIT_FIELDS}
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        errors = _unit_errors(form)
        if not errors:
            body = {"code": form["code"], "name": form["name"], "parent": form["parent"] or None}
            status, answer = as_person.send(person(), "POST", "/api/v1/units", body)
            if status == 201:
                return redirect(url_for("pages.org_units", done="unit"))
            errors = field_errors(status, answer, UNIT_FIELDS)
    return _units_page(form, errors, status)


def _unit_errors(form: dict[str, str]) -> dict[str, str]:
    errors = required(form, {"code": _("the unit's code"), "name": _("the unit's name")})
    if form["code"] and not CODE.fullmatch(form["code"]):
        errors["code"] = _("A code has 1-64 letters, digits, '-' or '_'.")
    if len(form["name"]) > 200:
        errors["name"] = _("A name has at most 200 characters.")
    return errors


def _units_page(form: dict[str, str], errors: dict[str, str], status: int) -> Page:
    tree = unit_tree()
    counts = {unit["code"]: active_count(unit["code"]) for unit in tree}
    page = render_template(
        "pages/org/units.html",
        tree=tree,
        counts=counts,
        form=form,
        errors=errors,
        limited_to=admin_units(),
        done=done_notice(),
    )
    return (page, status) if errors else page
