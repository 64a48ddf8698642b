"""Editing a draft in a form (``/admin/rules/drafts/<id>``), part by part, or as raw JSON.

Saving writes the draft (the rewards service keeps a draft even while it is wrong, so no work
is lost) and then asks the service to validate it: a valid draft goes back to its page with a
notice; an invalid one comes back as a 422 with each of the service's errors next to the field
it names (gateway/pages/rules_places.py), those the form has no field for at the top. What the
page can tell by itself (a number that is not one) is refused before anything is sent. "Add a
row" re-shows the form with one more blank row in a section, saving nothing.
"""

from __future__ import annotations

import json
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_access import api_errors, done_notice, expect
from gateway.pages.rules_parse import Reading, document_of
from gateway.pages.rules_places import place
from gateway.pages.rules_rows import ROW_FIELDS, Rows, blank, rows_of
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str


@blp.get("/admin/rules/drafts/<int:draft_id>")
@for_admin
def rules_form(draft_id: int) -> Page:
    draft = read(person(), f"/api/v1/drafts/{draft_id}")
    rows, single = rows_of(draft["document"])
    by_field, top = place(_validation(draft_id), rows)
    return show(draft, rows, single, by_field, top, 200, notice=done_notice())


@blp.post("/admin/rules/drafts/<int:draft_id>")
@for_admin
def rules_save(draft_id: int) -> Page:
    caller = person()
    draft = read(caller, f"/api/v1/drafts/{draft_id}")
    action = request.form.get("action", "save")
    draft["name"] = request.form.get("name", draft["name"]).strip()
    draft["notes"] = request.form.get("notes", draft.get("notes") or "").strip() or None
    if action == "raw":
        return _save_raw(draft)
    reading = Reading(request.form)
    if action.startswith("add-") and action[4:] in ROW_FIELDS:
        extra = {action[4:]: 2}
        return show(draft, reading.rows, reading.single, {}, [], 200, extra=extra)
    document = document_of(reading)
    if not draft["name"] or len(draft["name"]) > 100:
        reading.errors["name"] = _("Give the draft a name of 1-100 characters.")
    if reading.errors:
        return show(draft, reading.rows, reading.single, reading.errors, [], 422)
    return _saved(draft, document, reading.rows, reading.single)


def _save_raw(draft: dict[str, Any]) -> Page:
    text = request.form.get("raw", "")
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    rows, single = rows_of(draft["document"])
    if not isinstance(document, dict):
        message = {"raw": _("Not a JSON object: the whole document, in braces.")}
        return show(draft, rows, single, message, [], 422, raw=text)
    rows, single = rows_of(document)
    return _saved(draft, document, rows, single, raw=text)


def _saved(
    draft: dict[str, Any], document: dict[str, Any], rows: Rows, single: dict[str, str], **more: Any
) -> Page:
    body = {"name": draft["name"], "notes": draft["notes"], "document": document}
    status, answer = send(person(), "PATCH", f"/api/v1/drafts/{draft['id']}", body)
    if status == 422:
        by_field, top = place(api_errors(answer), rows)
        return show(draft, rows, single, by_field, top, 422, **more)
    expect(200, status, answer)
    draft["document"] = document
    problems = _validation(draft["id"])
    if not problems:
        return redirect(url_for("pages.rules_form", draft_id=draft["id"], done="saved"))
    by_field, top = place(problems, rows)
    notice = _("Saved, but not valid yet: see the marked fields.")
    return show(draft, rows, single, by_field, top, 422, notice=notice, **more)


def _validation(draft_id: int) -> Any:
    answer = expect(200, *send(person(), "POST", f"/api/v1/drafts/{draft_id}/validate"))
    return {} if answer.get("valid") else answer.get("errors", {})


def show(
    draft: dict[str, Any],
    rows: Rows,
    single: dict[str, str],
    by_field: dict[str, str],
    top: list[str],
    status: int,
    notice: str | None = None,
    extra: dict[str, int] | None = None,
    raw: str | None = None,
) -> tuple[str, int]:
    """The form, each section's rows and blank ones after them (one, or more when asked)."""
    shown = {
        section: [*rows.get(section, []), *[blank(section)] * (extra or {}).get(section, 1)]
        for section in ROW_FIELDS
    }
    page = render_template(
        "pages/rules/form.html",
        draft=draft,
        rows=shown,
        single=single,
        errors=by_field,
        top=top,
        notice=notice,
        raw=raw if raw is not None else json.dumps(draft["document"], ensure_ascii=False, indent=2),
    )
    return page, status
