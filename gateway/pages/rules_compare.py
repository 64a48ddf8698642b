"""Two rule sets side by side (``/admin/rules/compare?from=<version>&to=<version>``, or
``&draft=<id>`` for a draft against a version): what each part of the document gained, lost or
changed, from the rewards service's diff (gateway/pages/rules_diff.py groups it)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from gateway.as_person import read
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_diff import grouped
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str


def _number(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isdigit() and len(text) <= 18 else None


@blp.get("/admin/rules/compare")
@for_admin
def rules_compare() -> Page:
    caller = person()
    versions = read(caller, "/api/v1/rulesets")["items"]
    start, end, draft = _number("from"), _number("to"), _number("draft")
    if start is None or (end is None and draft is None):
        page = render_template("pages/rules/compare.html", versions=versions, parts=None,
                               error=_("Choose two versions to compare."))  # fmt: skip
        return page, 422
    if draft is not None:
        answer = read(caller, f"/api/v1/drafts/{draft}/diff/{start}")
        after = _("draft %(id)d", id=draft)
    else:
        answer = read(caller, "/api/v1/rulesets/diff", {"from": start, "to": end})
        after = f"v{end}"
    return render_template(
        "pages/rules/compare.html",
        versions=versions,
        parts=grouped(answer["changes"]),
        before=f"v{start}",
        after=after,
        start=start,
        end=end,
        error=None,
    )
