"""``/admin/adjustments``: an admin awards or deducts a member's points by hand, with a reason.

The form is sent on as ``POST /api/v1/members/<staff_no>/adjustments`` as the admin
(gateway/as_person.py): the points service checks the member, the figures and the admin's
units, writes the ledger entry and its audit record. What it refuses is said next to the
field it names, with its status. Each form carries a request id made when it was shown, so
sending it twice (a reload, a double tap) adjusts once.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from flask import redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway import accounts
from gateway.as_person import send
from gateway.pages import blp
from gateway.pages.admins import any_admin
from gateway.pages.visitor import for_person

Page = str | tuple[str, int] | Response
MAX_POINTS = 10_000  # the points service's bound (services/points/api/profiles.py)


def _form(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    member = request.args.get("member", "")
    form = request.form if request.method == "POST" else {"staff_no": member}
    done = request.args.get("done") == "adjusted"
    html = render_template(
        "pages/access/adjustments.html", errors=errors or {}, form=form,
        request_id=uuid.uuid4().hex, done=done, member=member,
    )  # fmt: skip
    return html, status


@blp.get("/admin/adjustments")
@for_person
def corrections() -> Page:
    any_admin()
    return _form()


@blp.post("/admin/adjustments")
@for_person
def corrections_send() -> Page:
    caller = any_admin()
    staff_no = request.form.get("staff_no", "").strip()
    errors, body = _read(staff_no)
    if errors:
        return _form(errors, 422)
    path = f"/api/v1/members/{quote(staff_no, safe='')}/adjustments"
    status, answer = send(caller, "POST", path, body)
    if status in (200, 201):
        return redirect(url_for("pages.corrections", done="adjusted", member=staff_no))
    return _form(_refused(status, answer), status)


def _read(staff_no: str) -> tuple[dict[str, str], dict[str, Any]]:
    """What the page checks itself: what the API could not even be sent (a number that is
    no number, a staff number that is no path). The rest is the API's to say."""
    errors = {}
    if not staff_no:
        errors["staff_no"] = _("Enter a staff number.")
    elif not accounts.STAFF_NO.fullmatch(staff_no):
        errors["staff_no"] = _("A staff number has 1-64 letters, digits, '.', '-' or '_'.")
    try:
        points = int(request.form.get("points", "").strip())
    except ValueError:
        errors["points"] = _("Enter a whole number of points, like 5 or -5.")
        points = 0
    body = {"points": points, "reason": request.form.get("reason", "")}
    request_id = request.form.get("request_id", "")
    if 0 < len(request_id) <= 128:
        body["request_id"] = request_id
    return errors, body


def _refused(status: int, answer: Any) -> dict[str, str]:
    """The service's refusal by the field it names, in the reader's language."""
    if status == 404:
        return {"staff_no": _("No member has this staff number.")}
    if status == 403:
        return {"staff_no": _("You may not adjust this member's points: not in your units.")}
    if status == 409:
        return {"form": _("This form was sent already with other figures; start again.")}
    named = ((answer or {}).get("errors") or {}).get("json") or {}
    errors = {}
    if "points" in named:
        most = format_decimal(MAX_POINTS)
        errors["points"] = _("Enter a number other than 0, from -%(most)s to %(most)s.", most=most)
    if "reason" in named:
        errors["reason"] = _("Give a reason (at most 300 characters): the member reads it.")
    return errors or {"form": _("The adjustment was not accepted; check the form.")}
