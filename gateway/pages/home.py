"""The home page: a signed-in member's points, level, streak, ranks and catch-up line, from
the same gathering as ``GET /api/v1/me`` (gateway/me.py); the ranks name their units."""

from __future__ import annotations

from flask import render_template

from gateway.me import gather
from gateway.pages import blp, catch_up, unit_names
from gateway.pages.visitor import for_person, person


@blp.get("/")
@for_person
def home() -> str:
    mine = gather(person())
    line = catch_up.line(mine["catch_up"])
    units = unit_names.names(unit_names.tree(person()))
    return render_template("pages/home.html", me=mine, catch_up_line=line, units=units)
