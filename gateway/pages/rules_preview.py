"""The what-if of a draft (``/admin/rules/drafts/<id>/preview?from=&to=``): the draft run over
the real events of a period by the rewards service, which writes nothing. The page shows the
totals before and after, a bar chart of the distribution of per-member changes, and the
biggest movers up and down (a chart and a table), all from the service's one answer."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from werkzeug.wrappers import Response

from gateway.as_person import read, send
from gateway.pages import blp
from gateway.pages.admin import for_admin
from gateway.pages.rules_access import api_errors, expect
from gateway.pages.rules_charts import distribution, height, movers
from gateway.pages.rules_names import member_names, unit_names
from gateway.pages.rules_period import default, read_period
from gateway.pages.visitor import person

Page = tuple[str, int] | Response | str


@blp.get("/admin/rules/drafts/<int:draft_id>/preview")
@for_admin
def rules_preview(draft_id: int) -> Page:
    caller = person()
    draft = read(caller, f"/api/v1/drafts/{draft_id}")
    if "from" not in request.args and "to" not in request.args:
        return _page(draft, default(), {}, None, 200)
    period, errors = read_period(request.args.to_dict())
    if errors:
        return _page(draft, period, errors, None, 422)
    status, answer = send(caller, "POST", f"/api/v1/drafts/{draft_id}/preview", period)
    if status == 422:
        problems = api_errors(answer)
        said = {key: " ".join(problems[key]) for key in ("from", "to") if key in problems}
        invalid = "document" in problems if isinstance(problems, dict) else False
        return _page(draft, period, said, None, 422, invalid=invalid)
    return _page(draft, period, {}, expect(200, status, answer), 200)


def effect(preview: dict[str, Any]) -> dict[str, Any]:
    """What the effect part of a page (pages/rules/_effect.html) needs of a preview."""
    names = member_names(person(), preview)
    return {
        "preview": preview,
        "names": names,
        "units": unit_names(person()),
        "distribution_chart": distribution(preview),
        "movers_chart": movers(preview, names),
        "movers_height": height(preview),
    }


def _page(
    draft: dict[str, Any],
    period: dict[str, str],
    errors: dict[str, str],
    preview: dict[str, Any] | None,
    status: int,
    invalid: bool = False,
) -> tuple[str, int]:
    page = render_template(
        "pages/rules/preview.html",
        draft=draft,
        period=period,
        errors=errors,
        invalid=invalid,
        **(effect(preview) if preview else {"preview": None}),
    )
    return page, status
