"""Pulse surveys for admins (``/admin/surveys``): the surveys with their rounds, a new survey
made from the built-in questionnaire (its questions picked), and on a survey's page a round
opened for units (window in local time, an optional repeat) or closed early. Results and the
trend: gateway/pages/surveys_results.py."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import CODE, Page, field_errors, opening_errors
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

SURVEYS = "/api/v1/surveys"
REPEATS = {
    "": _l("Once"),
    "month": _l("Each month"),
    "quarter": _l("Each quarter"),
    "half-year": _l("Each half-year"),
    "year": _l("Each year"),
}
DONE = {
    "survey": _l("The survey was made."),
    "round": _l("The round was opened."),
    "closed": _l("The round was closed."),
}


def _done() -> str | None:
    said = DONE.get(request.args.get("done", ""))
    return None if said is None else str(said)


@blp.route("/admin/surveys", methods=["GET", "POST"])
@for_admin
def admin_surveys() -> Page:
    shape = as_person.read(person(), f"{SURVEYS}/template")
    form = {"id": request.form.get("id", "").strip(), "title": request.form.get("title", "")}
    picked = request.form.getlist("questions") or [q["key"] for q in shape["questions"]]
    errors: dict[str, str] = {}
    if request.method == "POST":
        questions = [q for q in shape["questions"] if q["key"] in picked]
        errors = _survey_errors(form, questions)
        if not errors:
            body = {"id": form["id"], "title": form["title"].strip(), "questions": questions}
            status, answer = as_person.send(person(), "POST", SURVEYS, body)
            if status == 201:
                return redirect(url_for("pages.admin_survey", code=form["id"], done="survey"))
            errors = field_errors(status, answer, {"id": "id", "title": "title"})
    page = render_template(
        "pages/surveys/admin.html",
        surveys=as_person.read(person(), SURVEYS)["items"],
        template=shape,
        form=form | {"title": form["title"] or shape["title"]},
        picked=picked,
        errors=errors,
        done=_done(),
    )
    return (page, 422) if errors else page


def _survey_errors(form: dict[str, str], questions: list[Any]) -> dict[str, str]:
    errors = {}
    if not CODE.fullmatch(form["id"]):
        errors["id"] = _("An id has 1-64 letters, digits, '-' or '_'.")
    if not form["title"].strip():
        errors["title"] = _("Enter the survey's title.")
    if not questions:
        errors["questions"] = _("Pick at least one question.")
    return errors


@blp.route("/admin/surveys/<code>", methods=["GET", "POST"])
@for_admin
def admin_survey(code: str) -> Page:
    form = {k: request.form.get(k, "").strip() for k in ("opens_at", "closes_at", "repeat")}
    units = request.form.getlist("units")
    errors: dict[str, str] = {}
    if request.method == "POST":
        body, errors = _round_body(form, units)
        if not errors:
            status, answer = as_person.send(person(), "POST", f"{SURVEYS}/{code}/rounds", body)
            if status == 201:
                return redirect(url_for("pages.admin_survey", code=code, done="round"))
            names = {k: k for k in ("opens_at", "closes_at", "repeat", "units")}
            errors = field_errors(status, answer, names)
    page = render_template(
        "pages/surveys/survey.html",
        survey=as_person.read(person(), f"{SURVEYS}/{code}"),
        tree=unit_tree(),
        form=form,
        units=units,
        repeats=REPEATS,
        errors=errors,
        done=_done(),
    )
    return (page, 422) if errors else page


def _round_body(form: dict[str, str], units: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    errors = {}
    if not units:
        errors["units"] = _("Pick at least one unit.")
    opening_errors(form, errors)
    if form["repeat"] not in REPEATS:
        errors["repeat"] = _("Pick how often it repeats.")
    body = {"units": units, "opens_at": form["opens_at"], "closes_at": form["closes_at"],
            "repeat": form["repeat"] or None}  # fmt: skip
    return body, errors


@blp.post("/admin/surveys/<code>/rounds/<int:number>/close")
@for_admin
def admin_survey_close(code: str, number: int) -> Page:
    path = f"{SURVEYS}/{code}/rounds/{number}/close"
    status, answer = as_person.send(person(), "POST", path)
    if status != 200:
        field_errors(status, answer, {})  # a refusal is the error page
    return redirect(url_for("pages.admin_survey", code=code, done="closed"))
