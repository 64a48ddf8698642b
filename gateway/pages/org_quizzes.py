"""Quizzes: the kept quizzes (of a state, or all), a new one (its id for the quiz platform's
events, title, window in local time, maximum, pass mark, units, groups and members, pop or
announced), and a quiz's figures: invited, took part, passed, the average and the
distribution of best scores as a bar chart, in all and per unit."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import (
    PAGE_SIZE,
    Page,
    audience_errors,
    codes,
    done_notice,
    field_errors,
    offset,
    opening_errors,
    pages,
)
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

QUIZZES = "/api/v1/quizzes"
STATES = ("upcoming", "open", "closed", "cancelled")
QUIZ_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
TEXTS = ("id", "title", "opens_at", "closes_at", "max_score", "pass_mark", "groups", "members")


@blp.get("/admin/quizzes")
@for_admin
def org_quizzes() -> Page:
    state = request.args.get("state")
    query: dict[str, Any] = {"limit": PAGE_SIZE, "offset": offset()}
    if state in STATES:
        query["state"] = state
    found = as_person.read(person(), QUIZZES, query)
    return render_template(
        "pages/org/quizzes.html",
        quizzes=found["items"],
        state=state,
        states=STATES,
        paging=pages(int(found["total"])),
        done=done_notice(),
    )


@blp.get("/admin/quizzes/<quiz_id>")
@for_admin
def org_quiz(quiz_id: str) -> Page:
    quiz = as_person.read(person(), f"{QUIZZES}/{quiz_id}")
    figures = as_person.read(person(), f"{QUIZZES}/{quiz_id}/figures")
    chart = json.dumps(_chart(figures["overall"]["distribution"]), ensure_ascii=False)
    names = {unit["code"]: unit["name"] for unit in unit_tree()}
    return render_template(
        "pages/org/quiz.html",
        quiz=quiz,
        figures=figures,
        chart=chart,
        names=names,
        done=done_notice(),
    )


def _chart(buckets: list[dict[str, Any]]) -> dict[str, Any]:
    """The distribution of best scores, one bar per tenth of the maximum."""
    return {
        "animation": False,
        "grid": {"left": 40, "right": 10, "top": 30, "bottom": 50},
        "tooltip": {},
        "xAxis": {
            "type": "category",
            "name": _("Percent of the maximum"),
            "nameLocation": "middle",
            "nameGap": 28,
            "data": [f"{b['from_percent']}–{b['to_percent']}" for b in buckets],
        },
        "yAxis": {"type": "value", "minInterval": 1, "name": _("members")},
        "series": [{"type": "bar", "data": [b["count"] for b in buckets], "color": "#c62828"}],
    }


@blp.route("/admin/quizzes/new", methods=["GET", "POST"])
@for_admin
def org_quiz_new() -> Page:
    form = {k: request.form.get(k, "").strip() for k in TEXTS}
    units, pop = request.form.getlist("units"), request.form.get("pop") == "true"
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        body, errors = quiz_body(form, units, pop)
        if not errors:
            status, answer = as_person.send(person(), "POST", QUIZZES, body)
            if status == 201:
                return redirect(url_for("pages.org_quiz", quiz_id=answer["id"], done="quiz"))
            errors = field_errors(status, answer, {k: k for k in (*TEXTS, "units")})
    page = render_template(
        "pages/org/quiz_form.html", form=form, units=units, pop=pop, tree=unit_tree(), errors=errors
    )
    return (page, status) if errors else page


Checked = tuple[dict[str, Any], dict[str, str]]


def quiz_body(form: dict[str, str], units: list[str], pop: bool) -> Checked:
    groups, members = codes(form["groups"]), codes(form["members"])
    errors = audience_errors(units, groups, members)
    if not QUIZ_ID.fullmatch(form["id"]):
        errors["id"] = _("An id has 1-128 letters, digits, '.', ':', '-' or '_'.")
    if not form["title"]:
        errors["title"] = _("Enter the quiz's title.")
    opening_errors(form, errors)
    top, mark = _score(form, "max_score", errors), _score(form, "pass_mark", errors)
    if top is not None and mark is not None and mark > top:
        errors["pass_mark"] = _("The pass mark must not exceed the maximum.")
    if top == 0:
        errors["max_score"] = _("The maximum must be more than 0.")
    body = {"id": form["id"], "title": form["title"], "opens_at": form["opens_at"],
            "closes_at": form["closes_at"], "max_score": top, "pass_mark": mark,
            "units": units, "groups": groups, "members": members, "pop": pop}  # fmt: skip
    return body, errors


def _score(form: dict[str, str], name: str, errors: dict[str, str]) -> float | None:
    try:
        value = float(form[name])
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1_000_000:
        errors[name] = _("Enter a number from 0 to 1,000,000.")
        return None
    return value
