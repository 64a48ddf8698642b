"""A reviewer's decisions on a report, posted from its review page (gateway/pages/review.py):
the rubric's scores (the points service decides, once the round has the scores the rubric
asks for, whether that approves the report with the rating its bands give, or rejects it),
returning it with a comment, rejecting it with a reason, marking an approved one exemplary.

Each form is checked on the page first (a missing or out-of-range score, an empty comment:
a message next to the field, 422); the API's own 422 goes next to the field it names, its
409 (the state does not allow it any more) is said on the page, a 403 is its page."""

from __future__ import annotations

from typing import Any

from flask import redirect, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway import as_person
from gateway.pages import blp
from gateway.pages.errors import page
from gateway.pages.reports import API, STATE_CHANGED
from gateway.pages.review import review_page
from gateway.pages.visitor import for_person, person

Page = tuple[str, int] | Response | str
COMMENT_MAX = 5000


@blp.post("/review/<int:report_id>/scores")
@for_person
def score_report(report_id: int) -> Page:
    caller = person()
    report = as_person.read(caller, f"{API}/{report_id}")
    rubric = as_person.read(caller, f"/api/v1/report-rubrics/{report['rubric']}")
    values = {k: v.strip() for k, v in request.form.items() if k != "csrf_token"}
    scores, errors = _scores(rubric["criteria"], values)
    comment = values.get("comment", "")
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("At most %(n)d characters.", n=COMMENT_MAX)
    if errors:
        return review_page(report_id, errors, values), 422
    body: dict[str, Any] = {"scores": scores, **({"comment": comment} if comment else {})}
    status, answer = as_person.send(caller, "POST", f"{API}/{report_id}/scores", body)
    if status == 200:
        outcome = answer["state"] if answer["state"] in ("approved", "rejected") else "scored"
        return redirect(f"/review?done={outcome}")
    if status == 422:
        named = (((answer or {}).get("errors") or {}).get("json") or {}).get("scores") or {}
        errors = {f"score-{code}": _("Not a score this rubric takes.") for code in named}
        return review_page(report_id, errors or {"form": _("Check the scores.")}, values), 422
    return _refused(report_id, status, answer, values)


def _scores(
    criteria: list[dict[str, Any]], values: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Each criterion's score from the form, or what is wrong with it."""
    scores: dict[str, int] = {}
    errors: dict[str, str] = {}
    for criterion in criteria:
        name, top = f"score-{criterion['code']}", int(criterion["max"])
        typed = values.get(name, "")
        if not typed.isdigit() or int(typed) > top:
            errors[name] = _("Give a score from 0 to %(max)d.", max=top)
        else:
            scores[criterion["code"]] = int(typed)
    return scores, errors


@blp.post("/review/<int:report_id>/return")
@for_person
def return_report(report_id: int) -> Page:
    return _with_comment(report_id, "return", "returned", _("Say what the author should change."))


@blp.post("/review/<int:report_id>/reject")
@for_person
def reject_report(report_id: int) -> Page:
    return _with_comment(report_id, "reject", "rejected", _("Give the reason for rejecting it."))


def _with_comment(report_id: int, action: str, done: str, empty: str) -> Page:
    field = f"{action}_comment"
    values = {field: request.form.get(field, "").strip()}
    if not values[field]:
        return review_page(report_id, {field: empty}, values), 422
    if len(values[field]) > COMMENT_MAX:
        too_long = _("At most %(n)d characters.", n=COMMENT_MAX)
        return review_page(report_id, {field: too_long}, values), 422
    body = {"comment": values[field]}
    status, answer = as_person.send(person(), "POST", f"{API}/{report_id}/{action}", body)
    if status == 200:
        return redirect(f"/review?done={done}")
    return _refused(report_id, status, answer, values)


@blp.post("/review/<int:report_id>/exemplary")
@for_person
def mark_exemplary(report_id: int) -> Page:
    status, answer = as_person.send(person(), "POST", f"{API}/{report_id}/exemplary")
    if status == 200:
        return redirect(f"/review/{report_id}?done=exemplary")
    return _refused(report_id, status, answer, {})


def _refused(report_id: int, status: int, answer: Any, values: dict[str, str]) -> Page:
    if status in (409, 422):
        return review_page(report_id, {"form": str(STATE_CHANGED)}, values), status
    return page(status, (answer or {}).get("message"))
