"""Scheduling a study session on a page: once (start and end in local time) or as a weekly
series (a weekday, a local time, a length, the first day and how many), for units, custom
groups and named members, with a place or a link, a lecturer and the grace minutes. The page
checks what it can in the reader's language; the API's own refusals go next to their fields."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.org_common import Page, audience_errors, codes, field_errors, local_moment
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

TEXTS = (
    *("title", "place", "link", "lecturer", "grace_minutes", "groups", "members", "kind"),
    *("starts_at", "ends_at", "weekday", "time", "duration_minutes", "first", "count"),
)
WEEKDAYS = (
    ("monday", _l("Monday")),
    ("tuesday", _l("Tuesday")),
    ("wednesday", _l("Wednesday")),
    ("thursday", _l("Thursday")),
    ("friday", _l("Friday")),
    ("saturday", _l("Saturday")),
    ("sunday", _l("Sunday")),
)
# An API field (dotted when nested) to the form's field it is said beside.
API_FIELDS = {"expected.units": "units", "expected.members": "members",
              "expected.groups": "groups", "expected": "units", "from": "first"}  # fmt: skip


@blp.route("/admin/sessions/new", methods=["GET", "POST"])
@for_admin
def org_session_new() -> Page:
    form = {k: request.form.get(k, "").strip() for k in TEXTS}
    form["kind"] = "weekly" if form["kind"] == "weekly" else "once"
    units = request.form.getlist("units")
    errors: dict[str, str] = {}
    status = 422
    if request.method == "POST":
        body, errors = session_body(form, units)
        if not errors:
            weekly = form["kind"] == "weekly"
            path = "/api/v1/sessions/series" if weekly else "/api/v1/sessions"
            status, answer = as_person.send(person(), "POST", path, body)
            if status == 201:
                done = "series" if weekly else "session"
                return redirect(url_for("pages.org_sessions", done=done))
            errors = field_errors(status, answer, {**{k: k for k in TEXTS}, **API_FIELDS})
    page = render_template(
        "pages/org/session_form.html",
        form=form,
        units=units,
        tree=unit_tree(),
        weekdays=WEEKDAYS,
        errors=errors,
    )
    return (page, status) if errors else page


def session_body(form: dict[str, str], units: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    groups, members = codes(form["groups"]), codes(form["members"])
    errors = audience_errors(units, groups, members)
    if not form["title"]:
        errors["title"] = _("Enter the session's title.")
    body: dict[str, Any] = {"title": form["title"], "expected": {"units": units, "groups": groups,
                            "members": members}}  # fmt: skip
    for name in ("place", "link", "lecturer"):
        if form[name]:
            body[name] = form[name]
    if form["link"] and not form["link"].startswith(("http://", "https://")):
        errors["link"] = _("A link starts with http:// or https://.")
    if form["grace_minutes"]:
        body["grace_minutes"] = _number(form, "grace_minutes", 0, 1440, errors)
    when = _weekly(form, errors) if form["kind"] == "weekly" else _once(form, errors)
    return {**body, **when}, errors


def _once(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    starts, ends = local_moment(form["starts_at"]), local_moment(form["ends_at"])
    if starts is None:
        errors["starts_at"] = _("Enter the date and time it starts.")
    if ends is None:
        errors["ends_at"] = _("Enter the date and time it ends.")
    elif starts is not None and ends <= starts:
        errors["ends_at"] = _("It must end after it starts.")
    elif starts is not None and ends - starts > timedelta(days=1):
        errors["ends_at"] = _("A session lasts at most a day.")
    return {"starts_at": form["starts_at"], "ends_at": form["ends_at"]}


def _weekly(form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    if form["weekday"] not in dict(WEEKDAYS):
        errors["weekday"] = _("Choose the weekday.")
    first = local_moment(form["first"] + "T00:00") if form["first"] else None
    if first is None:
        errors["first"] = _("Enter the first day.")
    if local_moment("2000-01-01T" + form["time"]) is None:
        errors["time"] = _("Enter the time it starts, such as 14:00.")
    return {
        "weekday": form["weekday"],
        "from": form["first"],
        "time": form["time"],
        "duration_minutes": _number(form, "duration_minutes", 1, 1440, errors),
        "count": _number(form, "count", 1, 200, errors),
    }


def _number(form: dict[str, str], name: str, low: int, high: int, errors: dict[str, str]) -> int:
    text = form[name]
    if not text.isdigit() or not low <= int(text) <= high:
        errors[name] = _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
        return 0
    return int(text)
