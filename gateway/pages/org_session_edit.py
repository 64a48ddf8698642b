"""Changing a study session before it starts: the scheduling form, filled with what the
session is now (its times in local time, whom it expects), sent as the API's PATCH; the
API's refusals (a 409 once it has started or was cancelled) go next to their fields or on
the form. Cancelling is on the session's page (gateway/pages/org_sessions.py)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page, field_errors, local_field
from gateway.pages.org_session_form import API_FIELDS, TEXTS, WEEKDAYS, session_body
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

SESSIONS = "/api/v1/sessions"


@blp.route("/admin/sessions/<session_id>/edit", methods=["GET", "POST"])
@for_admin
def org_session_edit(session_id: str) -> Page:
    path = f"{SESSIONS}/{session_id}"
    study = as_person.read(person(), path)
    form, units = _now(study) if request.method == "GET" else _typed()
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        body, errors = session_body(form, units)
        if not errors:
            status, answer = as_person.send(person(), "PATCH", path, _changes(body))
            if status == 200:
                return redirect(url_for("pages.org_session", session_id=session_id, done="changed"))
            errors = field_errors(status, answer, {**{k: k for k in TEXTS}, **API_FIELDS})
    page = render_template(
        "pages/org/session_form.html",
        form=form,
        units=units,
        tree=unit_tree(),
        weekdays=WEEKDAYS,
        errors=errors,
        study=study,
    )
    return (page, status) if errors else page


def _typed() -> tuple[dict[str, str], list[str]]:
    form = {k: request.form.get(k, "").strip() for k in TEXTS}
    form["kind"] = "once"  # one session changes; a series is its sessions, one by one
    return form, request.form.getlist("units")


def _now(study: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The form as the session is now."""
    form = dict.fromkeys(TEXTS, "")
    expected = study["expected"]
    form.update(
        kind="once",
        title=study["title"],
        place=study.get("place") or "",
        link=study.get("link") or "",
        lecturer=study.get("lecturer") or "",
        grace_minutes=str(study["grace_minutes"]),
        starts_at=local_field(study["starts_at"]),
        ends_at=local_field(study["ends_at"]),
        groups=", ".join(group["code"] for group in expected.get("groups", [])),
        members=", ".join(expected.get("members", [])),
    )
    return form, list(expected.get("units", []))


def _changes(body: dict[str, Any]) -> dict[str, Any]:
    """The new body as a change: a place, link or lecturer left empty is taken away."""
    return {"place": None, "link": None, "lecturer": None, **body}
