"""The home page: a signed-in member's points, level, streak, ranks and catch-up line, from
the same gathering as ``GET /api/v1/me`` (gateway/me.py); the ranks name their units. A pulse
survey waiting for the member's answers is said at the top, with a link to it."""

from __future__ import annotations

from flask import render_template

from gateway import as_person
from gateway.me import gather
from gateway.pages import blp, catch_up, unit_names
from gateway.pages.visitor import for_person, person
from services.common.errors import ApiError


@blp.get("/")
@for_person
def home() -> str:
    mine = gather(person())
    line = catch_up.line(mine["catch_up"])
    units = unit_names.names(unit_names.tree(person()))
    return render_template(
        "pages/home.html", me=mine, catch_up_line=line, units=units, surveys=_surveys_waiting()
    )


def _surveys_waiting() -> int:
    """Open survey rounds the member has not answered; none when the service cannot say (the
    home page does without them)."""
    try:
        found = as_person.read(person(), "/api/v1/surveys/open")["items"]
    except (as_person.Refused, ApiError):
        return 0
    return sum(not r["answered"] for r in found)
