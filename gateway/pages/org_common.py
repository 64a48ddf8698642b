"""What the organisation pages share: the API's refusals turned into field messages or the
error page, times in the organisation's zone, the notices after a change, paging."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import request
from flask_babel import format_datetime, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.pages import blp, errors

Page = tuple[str, int] | Response | str
PAGE_SIZE = 20
CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")
STAFF_NO = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class Shown(Exception):
    """A refusal the page cannot put next to a field: shown as the error page."""

    def __init__(self, status: int, detail: str | None) -> None:
        self.status, self.detail = status, detail


@blp.errorhandler(Shown)
def _shown(refusal: Shown) -> tuple[str, int]:
    return errors.page(refusal.status, refusal.detail)


def field_errors(status: int, answer: Any, fields: dict[str, str]) -> dict[str, str]:
    """The API's 4xx as messages for the form: a 422's fields (of any location: the body,
    the files, the query) under the form's names
    (``fields`` maps an API field, dotted for nested ones, to a form field), a 409 on the form;
    a 403, a 404 or anything else is the error page (``Shown``)."""
    body = answer if isinstance(answer, dict) else {}
    if status == 422:
        found: dict[str, str] = {}
        located = body.get("errors", {})
        for name, reasons in [f for where in located.values() for f in _flat(where)]:
            found[fields.get(name, "form")] = _said(reasons)
        return found or {"form": str(errors.SAID[422])}
    if status == 409:
        return {"form": str(errors.SAID[409]) + " " + str(body.get("message", ""))}
    raise Shown(status, body.get("message"))


def _flat(tree: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if not isinstance(tree, dict):
        return [(prefix.rstrip("."), tree)]
    out: list[tuple[str, Any]] = []
    for key, value in tree.items():
        if isinstance(value, dict) and not str(key).isdigit():
            out += _flat(value, f"{prefix}{key}.")
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _said(reasons: Any) -> str:
    if isinstance(reasons, dict):
        reasons = [r for v in reasons.values() for r in (v if isinstance(v, list) else [v])]
    if isinstance(reasons, list):
        return " ".join(str(r) for r in reasons)
    return str(reasons)


def offset() -> int:
    """The page's offset from ``?page=`` (1 and up; anything else is the first page)."""
    number = request.args.get("page", "1")
    return (int(number) - 1) * PAGE_SIZE if number.isdigit() and int(number) > 0 else 0


def pages(total: int) -> dict[str, int]:
    current = offset() // PAGE_SIZE + 1
    return {"current": current, "last": max(1, -(-total // PAGE_SIZE)), "total": total}


def required(form: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """A message for each required field left empty (``names``: field to its label)."""
    empty = [name for name in names if not form.get(name)]
    return {name: _("Enter %(what)s.", what=names[name]) for name in empty}


@blp.app_template_filter("local_time")
def local_time(value: str | None) -> str:
    """A UTC time the API gave, in the organisation's zone and the reader's language."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return str(format_datetime(moment, "short"))


@blp.app_template_filter("percent")
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


# What a page says after a change it redirected from (``?done=<word>``).
DONE = {
    "unit": _l("The unit was added."),
    "member": _l("The member was added."),
    "moved": _l("The member was moved; points earned stay with the unit they were earned in."),
    "left": _l("The member was deactivated: they no longer earn points or appear on boards."),
    "back": _l("The member is active again."),
    "roster": _l("The roster was applied."),
    "session": _l("The session was scheduled."),
    "series": _l("The weekly series was scheduled."),
    "closed": _l("The session was closed: absences and excuses are recorded."),
    "decided": _l("The excuse was decided."),
    "quiz": _l("The quiz was created."),
    "changed": _l("The changes were saved."),
    "session-cancelled": _l("The session was cancelled: it will not be closed or counted."),
    "quiz-cancelled": _l("The quiz was cancelled: scores for it are refused from now on."),
    "sheet": _l("The sign-in sheet was imported."),
}


def done_notice() -> str | None:
    said = DONE.get(request.args.get("done", ""))
    return None if said is None else str(said)


def codes(text: str) -> list[str]:
    """Codes or staff numbers typed in one field, split on commas, '、' or spaces."""
    for mark in (",", "，", "、", ";", "；"):
        text = text.replace(mark, " ")
    return list(dict.fromkeys(text.split()))


def audience_errors(units: list[str], groups: list[str], members: list[str]) -> dict[str, str]:
    """Who a session or quiz is for: someone, named by codes the API would take."""
    if not units and not groups and not members:
        return {"units": _("Name at least one unit, group or member.")}
    errors = {}
    if any(not CODE.fullmatch(code) for code in groups):
        errors["groups"] = _("Group codes have 1-64 letters, digits, '-' or '_'.")
    if any(not STAFF_NO.fullmatch(code) for code in members):
        errors["members"] = _("A staff number has 1-64 letters, digits, '.', '-' or '_'.")
    return errors


def local_field(value: str) -> str:
    """A UTC time the API gave as a ``datetime-local`` field's value, in the organisation's
    zone (the inverse of ``local_moment``)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return str(to_user_timezone(moment).strftime("%Y-%m-%dT%H:%M"))


def local_moment(text: str) -> datetime | None:
    """A local date and time from a ``datetime-local`` field, None when it is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None and 2000 <= moment.year <= 2100 else None


def opening_errors(form: dict[str, str], errors: dict[str, str]) -> None:
    """Adds to ``errors`` what is wrong with a form's ``opens_at`` and ``closes_at`` (a quiz's,
    a survey round's): each a local date and time, closing after opening."""
    opens, closes = local_moment(form["opens_at"]), local_moment(form["closes_at"])
    if opens is None:
        errors["opens_at"] = _("Enter the date and time it opens.")
    if closes is None:
        errors["closes_at"] = _("Enter the date and time it closes.")
    elif opens is not None and closes <= opens:
        errors["closes_at"] = _("It must close after it opens.")
