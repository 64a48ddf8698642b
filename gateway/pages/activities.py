"""Sessions and quizzes (``/activities``): what is coming for the signed-in member (sessions
they are expected at, quizzes open or announced for them), what they attended or missed, and
the excuse form for a session (``/activities/sessions/<id>/excuse``), sent on as the member's
own ``POST /api/v1/sessions/<id>/excuses``."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import activities_reads, blp
from gateway.pages.errors import page as error_page
from gateway.pages.visitor import for_person, person

MOST_REASON = 2000  # the points service's limit for an excuse's reason
DONE = {"excused": _l("Your excuse was sent. An administrator of your unit will decide on it.")}
Page = str | tuple[str, int] | Response


@blp.get("/activities")
@for_person
def activities() -> str:
    caller = person()
    me = str(caller.staff_no)
    done = DONE.get(request.args.get("done", ""))
    return render_template(
        "pages/activities/index.html",
        sessions=activities_reads.my_sessions(caller, me),
        quizzes=activities_reads.my_quizzes(caller, me),
        may_excuse=activities_reads.may_excuse,
        done=str(done) if done else None,
    )


@blp.route("/activities/sessions/<session_id>/excuse", methods=["GET", "POST"])
@for_person
def excuse(session_id: str) -> Page:
    caller = person()
    study = read(caller, f"/api/v1/sessions/{session_id}")
    if request.method == "GET":
        return _form(study, "", {}, 200)
    reason = request.form.get("reason", "").strip()
    errors = _reason_errors(reason)
    if errors:
        return _form(study, reason, errors, 422)
    path = f"/api/v1/sessions/{session_id}/excuses"
    status, answer = send(caller, "POST", path, {"reason": reason})
    if status == 201:
        return redirect(url_for("pages.activities", done="excused"))
    if status in (409, 422):
        return _form(study, reason, _refusal(status, answer), status)
    return error_page(status, (answer or {}).get("message"))


def _reason_errors(reason: str) -> dict[str, str]:
    if not reason:
        return {"reason": _("Say why you cannot attend.")}
    if len(reason) > MOST_REASON:
        return {"reason": _("At most %(n)d characters.", n=MOST_REASON)}
    return {}


def _refusal(status: int, answer: Any) -> dict[str, str]:
    """The API's 409 or 422 as the form's messages, in the reader's language."""
    if status == 409:
        return {"form": _("An excuse was sent for this session already, or it was cancelled.")}
    fields = ((answer or {}).get("errors") or {}).get("json") or {}
    if "reason" in fields:
        return {"reason": _("This reason cannot be accepted.")}
    if "session" in fields:
        return {"form": _("You are not expected at this session.")}
    return {"form": _("Some of what was sent is not right.")}


def _form(study: dict[str, Any], reason: str, errors: dict[str, str], status: int) -> Page:
    said = {"study": study, "reason": reason, "errors": errors}
    return render_template("pages/activities/excuse.html", **said), status
