"""The review queue for reviewers (``/review``): the reports waiting in the units their role
covers, oldest first (``GET /api/v1/reports/queue``), and one report to review with its
rubric, its files, its history and, when the points service found one on submission, the
earlier report it is a near copy of, shown beside it. A person who reviews no unit, or a
reviewer opening a report outside their units, gets the API's 403 as a page. The decisions:
gateway/pages/review_decisions.py."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from gateway import as_person
from gateway.accounts import ADMIN, REVIEWER
from gateway.as_person import Refused
from gateway.auth import Caller
from gateway.pages import blp
from gateway.pages.reports import API
from gateway.pages.reports_words import WAITING
from gateway.pages.visitor import for_person, person
from services.common.errors import Forbidden

DONE = {
    "approved": _l("The report is approved."),
    "rejected": _l("The report is rejected."),
    "scored": _l("Your scores are recorded; the report waits for another reviewer."),
    "returned": _l("The report is returned to its author."),
    "exemplary": _l("The report is marked exemplary."),
}


@blp.get("/review")
@for_person
def review_queue() -> str:
    """A reviewer's queue; an admin who reviews nothing sees the reports of their units past
    the review deadline instead (``GET /api/v1/reports/escalated``), to chase them."""
    caller, state = person(), request.args.get("state", "")
    query = {"limit": 200, **({"state": state} if state in WAITING else {})}
    overdue = caller.holds(ADMIN) and not caller.holds(REVIEWER)
    waiting = as_person.read(caller, f"{API}/{'escalated' if overdue else 'queue'}", query)
    notice = str(DONE.get(request.args.get("done", ""), ""))
    return render_template(
        "pages/review/queue.html", waiting=waiting, state=state, notice=notice, overdue=overdue
    )


@blp.get("/review/<int:report_id>")
@for_person
def review_report(report_id: int) -> str:
    return review_page(report_id, {}, {})


def review_page(report_id: int, errors: dict[str, str], values: dict[str, str]) -> str:
    """The report to review, with what went wrong in a decision's form, if anything did.
    Only for reviewers and admins: anyone else reads a report on its own page (/reports)."""
    caller = person()
    if not caller.holds(REVIEWER, ADMIN):
        raise Forbidden("Only reviewers and admins review practice reports.")
    found = as_person.read(caller, f"{API}/{report_id}")
    rubric = None
    if found.get("rubric") is not None:
        rubric = as_person.read(caller, f"/api/v1/report-rubrics/{found['rubric']}")
    moves = as_person.read(caller, f"{API}/{report_id}/transitions")["items"]
    return render_template(
        "pages/review/report.html",
        report=found,
        rubric=rubric,
        score_options=_score_options(rubric),
        moves=moves,
        near=_near_copy(caller, found),
        round_scores=[s for s in found.get("scores", []) if s["round"] == found["round"]],
        errors=errors,
        values=values,
        waiting=found["state"] in WAITING,
        own=found["author"] == caller.staff_no,
        notice=str(DONE.get(request.args.get("done", ""), "")),
    )


def _score_options(rubric: dict[str, Any] | None) -> dict[str, dict[str, str]]:
    """Each criterion's scores, highest first, for its choice."""
    criteria = (rubric or {}).get("criteria", [])
    return {c["code"]: {str(n): str(n) for n in range(c["max"], -1, -1)} for c in criteria}


def _near_copy(caller: Caller, report: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier report this one is much like, in full when the reviewer may read it."""
    near = report.get("near_copy")
    if not near:
        return None
    try:
        other = as_person.read(caller, f"{API}/{near['report']}")
    except Refused:
        other = None
    return {**near, "other": other}
