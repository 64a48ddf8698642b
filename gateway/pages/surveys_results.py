"""A survey round's results (``/admin/surveys/<id>/rounds/<n>``): for the whole round or a
unit (a subtree's admin sees their own unit by default), the share of each option and each
question's favourable share, the favourable shares per unit, and the trend of the favourable
shares across the rounds as an ECharts line chart. Below 5 answers only the count shows."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import admin_units, for_admin
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

SURVEYS = "/api/v1/surveys"
LEGEND_LENGTH = 14  # characters of a question's text in the chart's legend


@blp.get("/admin/surveys/<code>/rounds/<int:number>")
@for_admin
def admin_survey_results(code: str, number: int) -> str:
    mine = admin_units()
    unit = request.args.get("unit") or (mine[0] if mine else None)
    query = {"unit": unit} if unit else {}
    found = as_person.read(person(), f"{SURVEYS}/{code}/rounds/{number}/results", query)
    trend = as_person.read(person(), f"{SURVEYS}/{code}/trend", query)
    survey = as_person.read(person(), f"{SURVEYS}/{code}")
    choices = [(u["unit"], u["name"]) for u in found["units"]] if mine else _all_units()
    return render_template(
        "pages/surveys/results.html",
        survey=survey,
        result=found,
        trend=trend,
        chart=json.dumps(trend_option(trend), ensure_ascii=False),
        choices=choices,
        unit=unit,
        whole=not mine,
    )


def _all_units() -> list[tuple[str, str]]:
    return [(u["code"], "\u3000" * u["depth"] + u["name"]) for u in unit_tree()]


def trend_option(trend: dict[str, Any]) -> dict[str, Any]:
    """One line per question: its favourable share (%) in each round; a gap where a round
    had too few answers to show."""
    rounds = [_("Round %(number)s", number=r["number"]) for r in trend["rounds"]]
    series = [
        {
            "type": "line",
            "name": _short(q["text"]),
            "data": q["favourable_percent"],
            "connectNulls": False,
            "label": {"show": True, "formatter": "{c}%"},
        }
        for q in trend["questions"]
    ]
    return {
        "animation": False,
        "grid": {"left": 45, "right": 20, "top": 70, "bottom": 30},
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "xAxis": {"type": "category", "data": rounds},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": _("favourable %")},
        "series": series,
    }


def _short(text: str) -> str:
    return text if len(text) <= LEGEND_LENGTH else text[: LEGEND_LENGTH - 1] + "…"
