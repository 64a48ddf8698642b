"""Study sessions: the upcoming and past ones; a session's page with its figures (expected,
on time, late, excused, absent, still to come; in all and per unit and group), its excuses to
approve or reject, closing it by hand (the absent recorded, the same answer twice records
nothing) and cancelling it (after a confirmation; never closed then). The API says who may
do each (an admin of the session's units)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import (
    PAGE_SIZE,
    STAFF_NO,
    Page,
    done_notice,
    field_errors,
    offset,
    pages,
)
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

SESSIONS = "/api/v1/sessions"
# The session's page's two endings: the API's action, and the notice it leads to.
ENDINGS = {"close": "closed", "cancel": "session-cancelled"}


@blp.get("/admin/sessions")
@for_admin
def org_sessions() -> Page:
    past = request.args.get("when") == "past"
    now = datetime.now(UTC).isoformat(timespec="seconds")
    query: dict[str, Any] = {"to": now} if past else {"from": now}
    if past:  # the most recent first: the API lists by start
        total = int(as_person.read(person(), SESSIONS, {**query, "limit": 1})["total"])
        start = max(0, total - offset() - PAGE_SIZE)
        size = min(PAGE_SIZE, total - offset())
        query.update(limit=max(1, size), offset=start)
        found = as_person.read(person(), SESSIONS, query)
        items = list(reversed(found["items"])) if size > 0 else []
    else:
        query.update(limit=PAGE_SIZE, offset=offset())
        found = as_person.read(person(), SESSIONS, query)
        total, items = int(found["total"]), found["items"]
    return render_template(
        "pages/org/sessions.html",
        sessions=items,
        past=past,
        paging=pages(total),
        done=done_notice(),
    )


@blp.route("/admin/sessions/<session_id>", methods=["GET", "POST"])
@for_admin
def org_session(session_id: str) -> Page:
    path = f"{SESSIONS}/{session_id}"
    study = as_person.read(person(), path)
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        status, errors, done = _act(path)
        if not errors:
            return redirect(url_for("pages.org_session", session_id=session_id, done=done))
    figures = as_person.read(person(), f"{path}/figures")
    excuses = as_person.read(person(), f"{path}/excuses", {"limit": 200})
    page = render_template(
        "pages/org/session.html",
        study=study,
        figures=figures,
        excuses=excuses,
        names={unit["code"]: unit["name"] for unit in unit_tree()},
        started=_began(study["starts_at"]),
        errors=errors,
        done=done_notice(),
    )
    return (page, status) if errors else page


def _act(path: str) -> tuple[int, dict[str, str], str]:
    """Close or cancel the session, or decide an excuse (``member``, ``decision``, ``note``)."""
    action = request.form.get("action", "")
    if action in ENDINGS:
        status, answer = as_person.send(person(), "POST", f"{path}/{action}")
        if status == 200:
            return status, {}, ENDINGS[action]
        return status, field_errors(status, answer, {}), ""
    member, decision = request.form.get("member", ""), request.form.get("decision")
    if not STAFF_NO.fullmatch(member) or decision not in ("approve", "reject"):
        return 422, {"form": _("Choose approve or reject for an excuse.")}, ""
    body = {"decision": decision, "note": request.form.get("note", "").strip()[:2000] or None}
    status, answer = as_person.send(person(), "POST", f"{path}/excuses/{member}/decision", body)
    if status == 200:
        return status, {}, "decided"
    return status, field_errors(status, answer, {"note": "form", "decision": "form"}), ""


def _began(starts_at: str) -> bool:
    return datetime.fromisoformat(starts_at.replace("Z", "+00:00")) <= datetime.now(UTC)
