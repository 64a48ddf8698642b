"""Pulse surveys for staff (``/surveys``): the rounds open to the signed-in member, a form to
answer one (a question a card, big touch targets on a phone), thanks afterwards, and a round
already answered said so rather than offered again. Answers are anonymous: the page says so."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp, errors
from gateway.pages.org_common import Page, field_errors
from gateway.pages.visitor import for_person, person

OPEN = "/api/v1/surveys/open"


@blp.get("/surveys")
@for_person
def surveys() -> str:
    found = as_person.read(person(), OPEN)["items"]
    return render_template(
        "pages/surveys/index.html", rounds=found, thanks=request.args.get("done") == "thanks"
    )


def _open_round(code: str, number: int) -> dict[str, Any] | None:
    found = as_person.read(person(), OPEN)["items"]
    return next((r for r in found if r["survey"] == code and r["number"] == number), None)


@blp.route("/surveys/<code>/<int:number>", methods=["GET", "POST"])
@for_person
def survey_answer(code: str, number: int) -> Page:
    shown = _open_round(code, number)
    if shown is None:
        return errors.page(404, _("This survey round is not open for you."))
    given, errors_found = _given(shown["questions"]), {}
    if request.method == "POST" and not shown["answered"]:
        errors_found = _missing(shown["questions"], given)
        if not errors_found:
            path = f"/api/v1/surveys/{code}/rounds/{number}/answers"
            status, answer = as_person.send(person(), "POST", path, {"answers": given})
            if status == 201:
                return redirect(url_for("pages.surveys", done="thanks"))
            names = {f"answers.{q['key']}": q["key"] for q in shown["questions"]}
            errors_found = field_errors(status, answer, names)
    page = render_template(
        "pages/surveys/answer.html", round=shown, given=given, errors=errors_found
    )
    return (page, 422) if errors_found else page


def _given(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """What the form holds, as the API takes it (a question left empty is left out)."""
    given: dict[str, Any] = {}
    for question in questions:
        key = question["key"]
        if question["kind"] == "multiple":
            picked = request.form.getlist(key)
            if picked:
                given[key] = picked
        elif request.form.get(key, "").strip():
            given[key] = request.form[key].strip()
    return given


def _missing(questions: list[dict[str, Any]], given: dict[str, Any]) -> dict[str, str]:
    return {
        q["key"]: _("Answer this question.")
        for q in questions
        if q["kind"] != "text" and q["key"] not in given
    }
