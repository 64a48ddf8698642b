"""Publishing a draft from its page: now, or at a local date and time (the organisation's
zone; the rewards service reads ``effective_local`` there). A time in the past, or a draft
that is not valid, comes back to the form as a 422 with the service's reasons beside the
fields they name."""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_access import api_errors, expect
from gateway.pages.rules_form import show
from gateway.pages.rules_places import place
from gateway.pages.rules_rows import rows_of
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str
LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\Z")


@blp.post("/admin/rules/drafts/<int:draft_id>/publish")
@for_admin
def rules_publish(draft_id: int) -> Page:
    caller = person()
    draft = read(caller, f"/api/v1/drafts/{draft_id}")
    rows, single = rows_of(draft["document"])
    body: dict[str, Any] = {}
    if request.form.get("when") == "at":
        local = request.form.get("publish_at", "").strip()
        if not LOCAL.match(local):
            said = {"publish_at": _("Choose the date and time it takes effect.")}
            return show(draft, rows, single, said, [], 422)
        body["effective_local"] = local
    status, answer = send(caller, "POST", f"/api/v1/drafts/{draft_id}/publish", body)
    if status == 422:
        problems = api_errors(answer)
        when = problems.pop("effective_from", None) or problems.pop("effective_local", None)
        by_field, top = place(problems.get("document", problems), rows)
        if when:
            by_field["publish_at"] = _("The time must not be in the past.")
        return show(draft, rows, single, by_field, top, 422)
    expect(201, status, answer)
    done = "scheduled" if body else "published"
    return redirect(url_for("pages.rules_list", done=done))
