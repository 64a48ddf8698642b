"""The staff leaderboard (``/board``): any signed-in person picks a board (the organisation,
a unit on their path, a custom group), a period (live, a campaign, or a closed one from the
archive) and a category, and sees its ranks with their own row marked (pinned beneath when
it is on another page), their movement and catch-up line, and beside it the team standings
and the most improved. The filters are a plain GET form; with htmx only the board part is
fetched (``/board/part``) and the address bar keeps the full page's address."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, make_response, render_template, request, url_for
from werkzeug.wrappers import Response

from gateway.pages import blp, board_options, board_reads, board_side, unit_names
from gateway.pages.board_choice import Choice, parse
from gateway.pages.visitor import for_person, person
from services.common.calendar import today


@blp.get("/board")
@for_person
def board() -> tuple[str, int]:
    context, status = gather(request.args)
    return render_template("pages/board/page.html", **context), status


@blp.get("/board/part")
@for_person
def board_part() -> Response:
    context, status = gather(request.args)
    response = make_response(render_template("pages/board/part.html", **context), status)
    response.headers["HX-Push-Url"] = url_for("pages.board", **context["choice"].link())
    return response


def gather(args: Any) -> tuple[dict[str, Any], int]:
    """Everything the page shows for the query ``args``, and its status (400 for a choice
    that is not on offer: said next to its field, nothing read for it)."""
    caller, day = person(), _today()
    tree = unit_names.tree(caller)
    names = unit_names.names(tree)
    choices = board_options.options(caller, names, day)
    choice, errors = parse(args, choices)
    context: dict[str, Any] = {"choice": choice, "choices": choices, "errors": errors}
    context.update(units=names, labels=_labels(choice, choices), viewer=caller.staff_no)
    if errors:
        return context, 400
    rows = board_reads.rows(caller, choice, day)
    mine = board_reads.mine(caller, choice, day, rows)
    listed = [item["member"] for item in rows["items"] if item.get("member")]
    if mine["row"] is not None:
        listed.append(mine["row"]["member"])
    context.update(
        board=rows,
        mine=mine,
        member_units=board_reads.member_units(caller, listed),
        pages=_pages(choice, rows["total"]),
        side=board_side.side(caller, choice, day, tree),
    )
    return context, 200


def _today() -> date:
    return today(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))


def _labels(choice: Choice, choices: dict[str, list[Any]]) -> dict[str, str]:
    """The chosen scope, period and category, as the form names them."""
    return {
        name: next((o.label for o in choices[name] if o.value == getattr(choice, name)), "")
        for name in ("scope", "period", "category")
    }


def _pages(choice: Choice, total: int) -> dict[str, Any]:
    last = max(1, -(-total // choice.size))
    return {
        "last": last,
        "before": choice.link(page=choice.page - 1) if choice.page > 1 else None,
        "after": choice.link(page=choice.page + 1) if choice.page < last else None,
    }
