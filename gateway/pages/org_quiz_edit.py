"""Changing a quiz before it opens (the creating form, filled with what the quiz is now, sent
as the API's PATCH; its id stays, as the quiz platform's events name it) and cancelling a
quiz after a confirmation (scores for it are refused from then on; points already awarded
stay)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page, Shown, field_errors, local_field
from gateway.pages.org_quizzes import QUIZZES, TEXTS, quiz_body
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person


@blp.route("/admin/quizzes/<quiz_id>/edit", methods=["GET", "POST"])
@for_admin
def org_quiz_edit(quiz_id: str) -> Page:
    path = f"{QUIZZES}/{quiz_id}"
    quiz = as_person.read(person(), path)
    form, units, pop = _now(quiz) if request.method == "GET" else _typed(quiz)
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        body, errors = quiz_body(form, units, pop)
        if not errors:
            del body["id"]  # the events' name for it never changes
            status, answer = as_person.send(person(), "PATCH", path, body)
            if status == 200:
                return redirect(url_for("pages.org_quiz", quiz_id=quiz_id, done="changed"))
            errors = field_errors(status, answer, {k: k for k in (*TEXTS, "units")})
    page = render_template("pages/org/quiz_form.html", form=form, units=units, pop=pop,
                           tree=unit_tree(), errors=errors, quiz=quiz)  # fmt: skip
    return (page, status) if errors else page


@blp.post("/admin/quizzes/<quiz_id>/cancel")
@for_admin
def org_quiz_cancel(quiz_id: str) -> Response:
    status, answer = as_person.send(person(), "POST", f"{QUIZZES}/{quiz_id}/cancel")
    if status != 200:
        raise Shown(status, answer.get("message") if isinstance(answer, dict) else None)
    return redirect(url_for("pages.org_quiz", quiz_id=quiz_id, done="quiz-cancelled"))


Form = tuple[dict[str, str], list[str], bool]


def _typed(quiz: dict[str, Any]) -> Form:
    form = {k: request.form.get(k, "").strip() for k in TEXTS}
    form["id"] = quiz["id"]
    return form, request.form.getlist("units"), request.form.get("pop") == "true"


def _now(quiz: dict[str, Any]) -> Form:
    """The form as the quiz is now."""
    form = {
        "id": quiz["id"],
        "title": quiz["title"],
        "opens_at": local_field(quiz["opens_at"]),
        "closes_at": local_field(quiz["closes_at"]),
        "max_score": f"{quiz['max_score']:g}",
        "pass_mark": f"{quiz['pass_mark']:g}",
        "groups": ", ".join(group["code"] for group in quiz.get("groups", [])),
        "members": ", ".join(quiz.get("members", [])),
    }
    return form, list(quiz.get("units", [])), bool(quiz.get("pop"))
