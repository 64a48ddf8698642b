"""``/admin/audit``: the two audit logs side by side, each labelled, with the same filters
(who, what, which member, which days) and each with its own pages.

- Points corrections: the points service's log of what admins did by hand (adjustments,
  re-scores), read as the admin through ``GET /api/v1/audit`` (gateway/as_person.py).
- Sign-ins and access: the gateway's own log (sign-ins, passwords, roles, keys), read with
  the function ``GET /api/v1/auth/audit`` uses (gateway/accounts.py ``recent_audit``).

Both are for an admin of the whole organisation, as the API says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from gateway import accounts, keys
from gateway.as_person import Refused, read
from gateway.pages import blp
from gateway.pages.admins import day_after, day_start, org_admin, parse_day
from gateway.pages.visitor import for_person
from services.common.db import current_db

PAGE = 20
# Who acted, as both logs write it: "member:a01", a key's name ("key:hr-sync"), "cli".
ACTOR = re.compile(r"[A-Za-z0-9_.:-]{1,80}")
ACTION = accounts.UNIT  # actions are short words: letters, digits, '-' or '_'


@dataclass
class Filters:
    actor: str = ""
    action: str = ""
    member: str = ""
    since: str = ""
    until: str = ""
    page: int = 1  # the points log's page
    gpage: int = 1  # the gateway log's page
    errors: dict[str, str] = field(default_factory=dict)
    bounds: tuple[datetime | None, datetime | None] = (None, None)

    def link(self, **changed: Any) -> str:
        """This page's query with some values changed: the pager's links."""
        values = {"actor": self.actor, "action": self.action, "member": self.member,
                  "since": self.since, "until": self.until, "page": self.page,
                  "gpage": self.gpage, **changed}  # fmt: skip
        return "?" + "&".join(f"{k}={_q(v)}" for k, v in values.items() if v not in ("", None))


def _q(value: Any) -> str:
    return quote(str(value), safe="")


def read_filters(args: MultiDict[str, str]) -> Filters:
    wanted = Filters(args.get("actor", "").strip(), args.get("action", "").strip(),
                     args.get("member", "").strip())  # fmt: skip
    wanted.since, wanted.until = args.get("since", "").strip(), args.get("until", "").strip()
    wanted.page, wanted.gpage = _page_no(args.get("page")), _page_no(args.get("gpage"))
    errors = wanted.errors
    if wanted.actor and not ACTOR.fullmatch(wanted.actor):
        errors["actor"] = _("Write who as the log does, like member:a01.")
    if wanted.action and not ACTION.fullmatch(wanted.action):
        errors["action"] = _("An action is a word like adjustment or sign-in.")
    if wanted.member and not accounts.STAFF_NO.fullmatch(wanted.member):
        errors["member"] = _("A staff number has 1-64 letters, digits, '.', '-' or '_'.")
    since, until = _day(wanted, "since"), _day(wanted, "until")
    if since and until and since > until:
        errors["until"] = _("The last day comes before the first.")
    wanted.bounds = (day_start(since) if since else None, day_after(until) if until else None)
    return wanted


def _page_no(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 100_000 else 1


def _day(wanted: Filters, name: str) -> Any:
    text = getattr(wanted, name)
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        wanted.errors[name] = _("Enter a date like 2026-12-31.")
    return day


@blp.get("/admin/audit")
@for_person
def audit_log() -> tuple[str, int]:
    caller = org_admin()
    wanted = read_filters(request.args)
    points: dict[str, Any] = {"total": 0, "items": []}
    door: list[dict[str, Any]] = []
    status = 422 if wanted.errors else 200
    if not wanted.errors and _points_may_hold(wanted.action):
        try:
            points = read(caller, "/api/v1/audit", _points_query(wanted))
        except Refused as refused:
            if refused.status != 404:
                raise
            wanted.errors["member"] = _("No member has this staff number.")
            status = 404
    if not wanted.errors:
        door = _door_log(wanted)
    html = render_template("pages/access/audit.html", wanted=wanted, errors=wanted.errors,
                           points=points, door=door[:PAGE], door_more=len(door) > PAGE,
                           pages=max(1, -(-points["total"] // PAGE)))  # fmt: skip
    return html, status


def _points_may_hold(action: str) -> bool:
    """The points log's actions are names like ``adjustment``; a gateway one (``sign-in``)
    is none of them, and the service would refuse it as a filter."""
    return not action or keys.TYPE_NAME.fullmatch(action) is not None


def _points_query(wanted: Filters) -> dict[str, Any]:
    since, until = wanted.bounds
    query = {"member": wanted.member, "actor": wanted.actor, "action": wanted.action,
             "since": since and since.isoformat(), "until": until and until.isoformat(),
             "limit": PAGE, "offset": (wanted.page - 1) * PAGE}  # fmt: skip
    return {k: v for k, v in query.items() if v not in ("", None)}


def _door_log(wanted: Filters) -> list[dict[str, Any]]:
    """One record more than a page, to know whether another page follows."""
    since, until = wanted.bounds
    with current_db().read() as session:
        rows = accounts.recent_audit(
            session, PAGE + 1, wanted.member or None, actor=wanted.actor or None,
            action=wanted.action or None, since=since, until=until,
            offset=(wanted.gpage - 1) * PAGE,
        )  # fmt: skip
        return [{c: getattr(row, c) for c in DOOR_COLUMNS} for row in rows]


DOOR_COLUMNS = ("at", "actor", "action", "subject", "address", "outcome", "detail")


def said(record: dict[str, Any]) -> str:
    """What a points record did, in a line: an adjustment's points and reason, a re-score's
    rule set and days."""
    detail = record.get("detail") or {}
    if record.get("action") == "adjustment":
        asked = detail.get("request") or {}
        points = asked.get("points", 0)
        return f"{'+' if points > 0 else ''}{points} · {asked.get('reason', '')}"
    if record.get("action") == "rescore":
        since, until = str(detail.get("from", ""))[:10], str(detail.get("to", ""))[:10]
        version = detail.get("version")
        return str(_("Rule set v%(version)s, %(since)s to %(until)s", version=version,
                     since=since, until=until))  # fmt: skip
    return ""


ACTION_NAMES = {
    "adjustment": _l("Manual adjustment"),
    "rescore": _l("Re-score"),
    "sign-in": _l("Sign-in"),
    "password-change": _l("Password change"),
    "password-reset": _l("Password reset"),
    "password-set": _l("First password set"),
    "reset-code": _l("Reset code issued"),
    "account-create": _l("Account created"),
    "account-admin": _l("Admin account created"),
    "role-grant": _l("Role granted"),
    "role-revoke": _l("Role taken away"),
    "key-create": _l("Key created"),
    "key-rotate": _l("Key rotated"),
    "key-revoke": _l("Key revoked"),
}
OUTCOMES = {"ok": _l("Done"), "refused": _l("Refused"), "throttled": _l("Throttled")}


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))


def outcome_name(outcome: str) -> str:
    return str(OUTCOMES.get(outcome, outcome))


blp.add_app_template_filter(said, "audit_said")
blp.add_app_template_filter(action_name, "audit_action")
blp.add_app_template_filter(outcome_name, "audit_outcome")
