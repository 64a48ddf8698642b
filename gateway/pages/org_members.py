"""A unit's members: paged, searched by name or staff number; a new member of the unit; a
member moved to another unit, deactivated or brought back. The API checks that the person
administers both ends of a move (a refusal is the 403 page)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import (
    CODE,
    PAGE_SIZE,
    STAFF_NO,
    Page,
    done_notice,
    field_errors,
    offset,
    pages,
    required,
)
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

MEMBER_FIELDS = {"staff_no": "staff_no", "name": "name", "unit": "unit"}
# A search reads the unit's members in pages of this many (the API's largest page).
READ_PAGE = 500


def members_of(code: str, query: str) -> tuple[int, list[dict[str, Any]]]:
    """A page of the unit's members; with ``query``, those whose name or staff number holds
    it (the API lists by unit, so the page looks through the unit's members)."""
    if not query:
        found = as_person.read(
            person(), "/api/v1/members", {"unit": code, "limit": PAGE_SIZE, "offset": offset()}
        )
        return int(found["total"]), list(found["items"])
    matching, start, total = [], 0, 1
    while start < total:
        found = as_person.read(
            person(), "/api/v1/members", {"unit": code, "limit": READ_PAGE, "offset": start}
        )
        total, start = int(found["total"]), start + READ_PAGE
        needle = query.casefold()
        matching += [
            m for m in found["items"] if needle in m["staff_no"].casefold() or needle in m["name"]
        ]
    return len(matching), matching[offset() : offset() + PAGE_SIZE]


@blp.route("/admin/units/<code>", methods=["GET", "POST"])
@for_admin
def org_unit(code: str) -> Page:
    unit = as_person.read(person(), f"/api/v1/units/{code}")
    form = {k: request.form.get(k, "").strip() for k in ("staff_no", "name")}
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        change = _change_member if request.form.get("member") else _add_member
        status, errors, done = change(code, form)
        if not errors:
            return redirect(url_for("pages.org_unit", code=code, done=done))
    query = request.args.get("q", "").strip()
    total, members = members_of(code, query)
    page = render_template(
        "pages/org/unit.html",
        unit=unit,
        members=members,
        paging=pages(total),
        query=query,
        tree=unit_tree(),
        form=form,
        errors=errors,
        member=request.form.get("member"),
        done=done_notice(),
    )
    return (page, status) if errors else page


Outcome = tuple[int, dict[str, str], str]


def _add_member(code: str, form: dict[str, str]) -> Outcome:
    errors = required(form, {"staff_no": _("the staff number"), "name": _("the member's name")})
    if form["staff_no"] and not STAFF_NO.fullmatch(form["staff_no"]):
        errors["staff_no"] = _("A staff number has 1-64 letters, digits, '.', '-' or '_'.")
    if len(form["name"]) > 200:
        errors["name"] = _("A name has at most 200 characters.")
    if errors:
        return 422, errors, ""
    status, answer = as_person.send(person(), "POST", "/api/v1/members", {**form, "unit": code})
    return status, {} if status == 201 else field_errors(status, answer, MEMBER_FIELDS), "member"


def _change_member(code: str, form: dict[str, str]) -> Outcome:
    """Move (``unit``), deactivate or bring back (``active``) the member the form names."""
    staff_no = request.form["member"]
    changes: dict[str, Any] = {}
    if "move" in request.form:
        target = request.form.get("unit", "")
        if not CODE.fullmatch(target) or target == code:
            return 422, {"move": _("Choose another unit to move the member to.")}, ""
        changes["unit"] = target
    elif request.form.get("active") in ("true", "false"):
        changes["active"] = request.form["active"] == "true"
    else:
        return 422, {"move": _("Choose what to change.")}, ""
    if not STAFF_NO.fullmatch(staff_no):
        return 422, {"move": _("There is no such member.")}, ""
    path = f"/api/v1/members/{staff_no}"
    status, answer = as_person.send(person(), "PATCH", path, changes)
    done = "moved" if "unit" in changes else "back" if changes["active"] else "left"
    if status == 200:
        return status, {}, done
    said = field_errors(status, answer, {"unit": "move", "active": "move"})
    return status, {"move": " ".join(said.values())}, ""
