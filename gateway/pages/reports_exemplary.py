"""Exemplary practice reports (``/reports/exemplary``): the ones reviewers marked and their
authors share, of the whole organisation or of the reader's own unit and the units below it
(``GET /api/v1/reports/exemplary?unit=``), to learn from one another."""

from __future__ import annotations

from flask import render_template, request

from gateway import as_person
from gateway.pages import blp
from gateway.pages.reports import API
from gateway.pages.visitor import for_person, person


@blp.get("/reports/exemplary")
@for_person
def exemplary() -> str:
    caller = person()
    scope = "unit" if request.args.get("scope") == "unit" else "org"
    query: dict[str, object] = {"limit": 100}
    unit = None
    if scope == "unit":
        unit = as_person.read(caller, f"/api/v1/members/{caller.staff_no}")["unit"]
        query["unit"] = unit
    shared = as_person.read(caller, f"{API}/exemplary", query)
    return render_template("pages/reports/exemplary.html", shared=shared, scope=scope, unit=unit)
