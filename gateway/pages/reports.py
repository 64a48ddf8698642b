"""Practice reports for staff (``/reports``): one's own reports with their states, writing a
new one as a draft, editing a draft or a returned report, submitting it, and reading one with
the reviewer's comment and every state change. Each page reads and writes as the person
(gateway/as_person.py), so the points service decides, as over the API, what they may do; its
409 (the state does not allow it) is said on the page. Files: gateway/pages/reports_files.py;
the exemplary reports: gateway/pages/reports_exemplary.py."""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway import as_person
from gateway.pages import blp, reports_form, reports_words
from gateway.pages.errors import page
from gateway.pages.visitor import for_person, person
from services.common.errors import ApiError

Page = tuple[str, int] | Response | str
API = "/api/v1/reports"
DONE = {
    "saved": _l("The draft is saved."),
    "submitted": _l("The report is submitted for review."),
    "attached": _l("The file is attached."),
    "removed": _l("The file is removed."),
    "shared": _l("Your choice of sharing is saved."),
}
STATE_CHANGED = _l("The report's state does not allow this any more; see its state below.")

reports_words.install(blp)


def done_notice() -> str:
    return str(DONE.get(request.args.get("done", ""), ""))


@blp.get("/reports")
@for_person
def reports() -> str:
    state = request.args.get("state", "")
    query = {"limit": 100, **({"state": state} if state in reports_words.STATE_NAMES else {})}
    mine = as_person.read(person(), API, query)
    names = reports_words.STATE_NAMES
    return render_template(
        "pages/reports/list.html", mine=mine, state=state, state_names=names, notice=done_notice()
    )


@blp.route("/reports/new", methods=["GET", "POST"])
@for_person
def new_report() -> Page:
    if request.method == "GET":
        return _form(reports_form.values_of(request.args), {}, None)  # ?kind=quiz&ref=... ok
    values = reports_form.values_of(request.form)
    errors = reports_form.errors_of(values)
    if errors:
        return _form(values, errors, None), 422
    status, answer = as_person.send(person(), "POST", API, reports_form.body_of(values))
    if status == 201:
        return redirect(f"/reports/{answer['id']}?done=saved")
    return _refused(status, answer, values, None)


@blp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
@for_person
def edit_report(report_id: int) -> Page:
    report = as_person.read(person(), f"{API}/{report_id}")
    if request.method == "GET" and report["state"] not in reports_words.EDITABLE:
        return redirect(f"/reports/{report_id}")  # nothing to edit: its page says why
    if request.method == "GET":
        return _form(reports_form.values_from(report), {}, report)
    values = reports_form.values_of(request.form)
    errors = reports_form.errors_of(values)
    if errors:
        return _form(values, errors, report), 422
    body = reports_form.body_of(values)
    status, answer = as_person.send(person(), "PATCH", f"{API}/{report_id}", body)
    if status == 200:
        return redirect(f"/reports/{report_id}?done=saved")
    return _refused(status, answer, values, report)


def _form(values: dict[str, str], errors: dict[str, str], report: dict[str, Any] | None) -> str:
    return render_template(
        "pages/reports/form.html",
        values=values,
        errors=errors,
        report=report,
        kinds=reports_words.KIND_NAMES,
        choices=_learned_choices(),
    )


def _learned_choices() -> list[tuple[str, str]]:
    """The sessions and quizzes the person was part of, newest first, to pick an id from
    (a part the form does without when it cannot be read)."""
    caller, mine = person(), f"/api/v1/members/{person().staff_no}"
    found: list[tuple[str, str]] = []
    for part, key, kind in (("sessions", "session", "session"), ("quizzes", "quiz", "quiz")):
        try:
            items = as_person.read(caller, f"{mine}/{part}", {"limit": 30})["items"]
        except (as_person.Refused, ApiError):
            continue
        label = reports_words.KIND_NAMES[kind]
        found += [(item[key], f"{label} · {item.get('title') or item[key]}") for item in items]
    return found


def _refused(
    status: int, answer: Any, values: dict[str, str], report: dict[str, Any] | None
) -> Page:
    if status == 422:
        return _form(values, reports_form.api_errors(answer), report), 422
    if status == 409:
        return _form(values, {"form": str(STATE_CHANGED)}, report), 409
    return page(status, (answer or {}).get("message"))


@blp.get("/reports/<int:report_id>")
@for_person
def report(report_id: int) -> str:
    return show(report_id, {}, done_notice())


def show(report_id: int, errors: dict[str, str], notice: str = "") -> str:
    """One report as its reader sees it, with its history (and what went wrong, if it did)."""
    caller = person()
    found = as_person.read(caller, f"{API}/{report_id}")
    moves = as_person.read(caller, f"{API}/{report_id}/transitions")["items"]
    return render_template(
        "pages/reports/show.html",
        report=found,
        moves=moves,
        errors=errors,
        notice=notice,
        mine=found["author"] == caller.staff_no,
        editable=found["state"] in reports_words.EDITABLE,
        largest=reports_words.megabytes(current_app.config["SETTINGS"].report_attachment_max_bytes),
    )


@blp.post("/reports/<int:report_id>/submit")
@for_person
def submit_report(report_id: int) -> Page:
    status, answer = as_person.send(person(), "POST", f"{API}/{report_id}/submit")
    if status == 200:
        return redirect(f"/reports/{report_id}?done=submitted")
    if status == 409:
        return show(report_id, {"form": str(STATE_CHANGED)}), 409
    return page(status, (answer or {}).get("message"))


@blp.post("/reports/<int:report_id>/sharing")
@for_person
def share_report(report_id: int) -> Page:
    shared = request.form.get("shared") == "yes"
    body = {"shared": shared}
    status, answer = as_person.send(person(), "PUT", f"{API}/{report_id}/sharing", body)
    if status == 200:
        return redirect(f"/reports/{report_id}?done=shared")
    return page(status, (answer or {}).get("message"))
