"""The rule set versions and drafts (``/admin/rules``), starting a draft, deleting one.

Each published version says whether it is in force, scheduled (it takes effect later) or
earlier, with who published it and when; each draft who wrote it and when it last changed.
A new draft starts as a copy of a published version (the one in force unless another is
chosen), so it is valid from the start and the form edits from there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.as_person import Refused, read, send
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_access import done_notice, expect, when
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str


@blp.get("/admin/rules")
@for_admin
def rules_list() -> Page:
    return _listing({}, {}, 200)


def _listing(errors_: dict[str, str], typed: dict[str, str], status: int) -> Page:
    caller = person()
    versions = read(caller, "/api/v1/rulesets")["items"]
    drafts = read(caller, "/api/v1/drafts")["items"]
    in_force = _in_force(versions)
    rows = [_version_row(v, in_force) for v in versions]
    page = render_template(
        "pages/rules/list.html",
        versions=rows,
        drafts=[
            {**d, "created": when(d.get("created_at")), "updated": when(d.get("updated_at"))}
            for d in reversed(drafts)
        ],  # fmt: skip
        in_force=in_force,
        errors=errors_,
        typed=typed,
        notice=done_notice(),
    )
    return page, status


def who(sender: str | None) -> str:
    """Who the service names (the gateway's sender, "member:a01") as a page says it."""
    return sender.removeprefix("member:") if sender else "—"


def _draft_row(draft: dict[str, Any]) -> dict[str, Any]:
    return {
        **draft,
        "by": who(draft.get("created_by")),
        "created": when(draft.get("created_at")),
        "updated": when(draft.get("updated_at")),
    }


def _in_force(versions: list[dict[str, Any]]) -> int | None:
    """The version pricing now: the latest effective at or before now (highest on a tie)."""
    now = datetime.now(UTC)
    started = [v for v in versions if datetime.fromisoformat(v["effective_from"]) <= now]
    if not started:
        return None
    chosen = max(started, key=lambda v: (datetime.fromisoformat(v["effective_from"]), v["version"]))
    found: int = chosen["version"]
    return found


def _version_row(version: dict[str, Any], in_force: int | None) -> dict[str, Any]:
    starts = datetime.fromisoformat(version["effective_from"])
    if version["version"] == in_force:
        state = "in_force"
    elif starts > datetime.now(UTC):
        state = "scheduled"
    else:
        state = "earlier"
    return {
        **version,
        "state": state,
        "effective": when(version["effective_from"]),
        "published": when(version.get("published_at")),
        "by": who(version.get("published_by")),
    }


@blp.post("/admin/rules/drafts")
@for_admin
def rules_new_draft() -> Page:
    caller = person()
    name = request.form.get("name", "").strip()
    base = request.form.get("base", "").strip()
    typed = {"name": name, "base": base}
    if not name or len(name) > 100:
        return _listing({"name": _("Give the draft a name of 1-100 characters.")}, typed, 422)
    if not base.isdigit() or len(base) > 18:
        return _listing({"base": _("Choose a version to start from.")}, typed, 422)
    try:
        document = read(caller, f"/api/v1/rulesets/{base}")["document"]
    except Refused as refused:
        if refused.status != 404:
            raise
        return _listing({"base": _("There is no such version.")}, typed, 422)
    body = {"name": name, "document": document, "notes": _("Started from version %(v)s.", v=base)}
    made = expect(201, *send(caller, "POST", "/api/v1/drafts", body))
    return redirect(url_for("pages.rules_form", draft_id=made["id"], done="created"))


@blp.post("/admin/rules/drafts/<int:draft_id>/delete")
@for_admin
def rules_delete_draft(draft_id: int) -> Page:
    expect(204, *send(person(), "DELETE", f"/api/v1/drafts/{draft_id}"))
    return redirect(url_for("pages.rules_list", done="deleted"))
