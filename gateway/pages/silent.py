"""``/admin/silent``: the silent members of a unit (no learning activity in the last days) and a
button that nudges them, with the result: who was sent what, who was skipped and why. And the
member's own switch, on their progress page, that opts them out of nudges (docs/delivery.md).

Both are the API's calls made as the person (gateway/as_person.py): the points service keeps
an admin to their units and a member to their own switch.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import blp
from gateway.pages.admin import admin_units
from gateway.pages.admins import any_admin
from gateway.pages.visitor import for_person, person

Page = str | tuple[str, int] | Response
REASONS = {
    "inactive": _l("no longer active in the organisation"),
    "active": _l("learned in these days"),
    "opted_out": _l("has opted out of nudges"),
    "cooldown": _l("was nudged recently"),
    "no_channel": _l("no e-mail address and no subscription for nudges"),
}
CHANNELS = {"email": _l("by e-mail"), "subscriptions": _l("through the group subscriptions")}


def _asked() -> tuple[str, int, dict[str, str]]:
    """The unit and days in the query or form; what is wrong with them, by field."""
    values = request.form if request.method == "POST" else request.args
    units = admin_units()
    unit = values.get("unit", units[0] if units else "").strip()
    raw = values.get("days", "14").strip()
    errors = {}
    days = int(raw) if raw.isdigit() else 0
    if not 1 <= days <= 365:
        errors["days"] = str(_l("Enter a number of days from 1 to 365."))
    return unit, days or 14, errors


def _page(result: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    caller = any_admin()
    unit, days, errors = _asked()
    members: list[dict[str, Any]] = []
    if not errors:
        query = {"days": days, **({"unit": unit} if unit else {})}
        status_read, answer = send(caller, "GET", "/api/v1/analytics/silent", query=query)
        if status_read == 200:
            members = answer["items"]
        else:
            errors = _refused(status_read)
            status = status_read
    html = render_template(
        "pages/admin/silent.html", members=members, unit=unit, days=days, errors=errors,
        result=result, reasons=REASONS, channels=CHANNELS,
    )  # fmt: skip
    return html, status


@blp.get("/admin/silent")
@for_person
def silent_members() -> Page:
    return _page()


@blp.post("/admin/silent")
@for_person
def silent_nudge() -> Page:
    caller = any_admin()
    unit, days, errors = _asked()
    if errors:
        return _page(None, 422)
    body: dict[str, Any] = {"days": days}
    picked = request.form.getlist("staff_nos")
    body.update({"staff_nos": picked} if picked else {"unit": unit})
    status, answer = send(caller, "POST", "/api/v1/nudges", body)
    if status != 200:
        return _page({"error": _refused(status).get("unit")}, status)
    return _page(answer)


def _refused(status: int) -> dict[str, str]:
    if status == 403:
        return {"unit": str(_l("That unit is outside the units you administer."))}
    return {"unit": str(_l("No such unit: enter a unit's code."))}


@blp.post("/progress/nudges")
@for_person
def nudge_choice() -> Page:
    """The member's own switch: opt out of nudges, or back in."""
    caller = person()
    path = f"/api/v1/members/{quote(str(caller.staff_no), safe='')}/nudges"
    send(caller, "PUT", path, {"opted_out": request.form.get("opted_out") == "true"})
    return redirect(url_for("pages.progress") + "#nudges")


def opted_out(caller: Any) -> bool:
    """Whether the person has opted out of nudges (for their progress page)."""
    path = f"/api/v1/members/{quote(str(caller.staff_no), safe='')}/nudges"
    return bool(read(caller, path).get("opted_out"))
