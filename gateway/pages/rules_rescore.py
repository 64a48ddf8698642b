"""Re-scoring a period under a published version (``/admin/rules/rescore``), its effect first.

The rewards service re-scores (``POST /api/v1/rescores``) but has no dry run of it; its what-if
runs a draft over a period exactly as a re-score replays it (docs/rules.md: "from an empty
state at the period's start"). So the page previews a re-score by a short-lived draft holding
the chosen version's document: made, previewed, deleted at once. The effect is shown with a
confirm button; the confirmation carries a request id made with the preview, so pressing it
twice re-scores once. The result's figures come back on the page afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.as_person import Refused, read, send
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_access import expect
from gateway.pages.rules_period import default, read_period
from gateway.pages.rules_preview import effect
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str
RESULT = ("points_change", "members_changed", "entries_written", "badges_awarded",
          "badges_revoked")  # fmt: skip


@blp.get("/admin/rules/rescore")
@for_admin
def rules_rescore() -> Page:
    result = {key: request.args[key] for key in RESULT if key in request.args}
    period, errors = read_period(request.args.to_dict())
    chosen = {**(default() if errors else period), "version": request.args.get("version", "")}
    return _page(chosen, {}, None, 200, result=result)


@blp.post("/admin/rules/rescore")
@for_admin
def rules_rescore_post() -> Page:
    typed, errors = read_period(request.form.to_dict())
    typed["version"] = version = request.form.get("version", "").strip()
    if not version.isdigit() or len(version) > 18:
        errors["version"] = _("Choose a version.")
    if errors:
        return _page(typed, errors, None, 422)
    if request.form.get("action") == "confirm":
        return _confirm(typed, request.form.get("request_id", "")[:100] or uuid.uuid4().hex)
    try:
        document = read(person(), f"/api/v1/rulesets/{version}")["document"]
    except Refused as refused:
        if refused.status != 404:
            raise
        return _page(typed, {"version": _("There is no such version.")}, None, 422)
    return _page(typed, {}, _preview(version, document, typed), 200)


def _preview(version: str, document: dict[str, Any], period: dict[str, str]) -> dict[str, Any]:
    caller = person()
    name = _("Re-score preview of v%(v)s", v=version)
    body = {"name": name[:100], "document": document, "notes": None}
    draft = expect(201, *send(caller, "POST", "/api/v1/drafts", body))
    try:
        span = {"from": period["from"], "to": period["to"]}
        answer = expect(200, *send(caller, "POST", f"/api/v1/drafts/{draft['id']}/preview", span))
    finally:
        send(caller, "DELETE", f"/api/v1/drafts/{draft['id']}")
    preview: dict[str, Any] = answer
    return preview


def _confirm(typed: dict[str, str], request_id: str) -> Page:
    body = {"version": int(typed["version"]), "from": typed["from"], "to": typed["to"],
            "request_id": request_id}  # fmt: skip
    status, answer = send(person(), "POST", "/api/v1/rescores", body)
    if status == 422 and isinstance(answer, dict):
        problems = answer.get("errors", {}).get("json", {})
        keys = [key for key in ("from", "to", "version") if key in problems]
        said = {key: " ".join(map(str, problems[key])) for key in keys}
        if said:
            return _page(typed, said, None, 422)
    if status not in (200, 201):
        expect(201, status, answer)
    result = {key: answer.get(key, 0) for key in RESULT}
    query: dict[str, Any] = {"done": "rescored", **typed, **result}
    return redirect(url_for("pages.rules_rescore", **query))


def _page(
    typed: dict[str, str],
    errors: dict[str, str],
    preview: dict[str, Any] | None,
    status: int,
    result: dict[str, str] | None = None,
) -> tuple[str, int]:
    versions = read(person(), "/api/v1/rulesets")["items"]
    page = render_template(
        "pages/rules/rescore.html",
        versions=versions,
        typed=typed,
        errors=errors,
        result=result or {},
        request_id=uuid.uuid4().hex,
        **(effect(preview) if preview else {"preview": None}),
    )
    return page, status
