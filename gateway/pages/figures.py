"""The organisation's figures (/admin/figures): for a unit and a period (this week, month or
quarter, or dates), the funnel as a chart and a table with the leaders beside their staff,
the unit's sub-units side by side (sortable), the most improved, the 12-week trend and the
drifting units. Everything is read from /api/v1/analytics as the signed-in admin, so an
admin of a unit sees only their units."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _

from gateway import as_person
from gateway.pages import blp
from gateway.pages.admin import admin_units, for_admin
from gateway.pages.admins import today
from gateway.pages.figures_charts import STAGES, funnel_option, trend_option
from gateway.pages.org_common import Page, field_errors
from gateway.pages.org_units import unit_tree
from gateway.pages.visitor import person

API = "/api/v1/analytics"
PERIODS = ("week", "month", "quarter", "dates")
SORTS = ("per_capita_daily", "activity_rate", "attendance_rate")
LONGEST = 366  # days, as the API allows (services/points/analytics/schemas.py)
FIELDS = {"from": "from", "to": "to", "unit": "unit", "sort": "sort"}


def period_of(kind: str, day: date) -> tuple[date, date]:
    """This week (from Monday), month or quarter, up to ``day``."""
    if kind == "week":
        return day - timedelta(days=day.weekday()), day
    if kind == "month":
        return day.replace(day=1), day
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1), day


def _choice() -> tuple[dict[str, str], dict[str, str]]:
    """What the form asks for, and what is wrong with it (next to its field)."""
    args = request.args
    limited = admin_units()
    period, sort = args.get("period", ""), args.get("sort", "")
    chosen = {
        "unit": args.get("unit") or (limited[0] if limited else ""),
        "period": period if period in PERIODS else "month",
        "sort": sort if sort in SORTS else SORTS[0],
        "from": args.get("from", "").strip(),
        "to": args.get("to", "").strip(),
    }
    errors: dict[str, str] = {}
    if chosen["period"] != "dates":
        first, last = period_of(chosen["period"], today())
        chosen["from"], chosen["to"] = first.isoformat(), last.isoformat()
        return chosen, errors
    days: dict[str, date] = {}
    for name in ("from", "to"):
        try:
            days[name] = date.fromisoformat(chosen[name])
        except ValueError:
            errors[name] = _("Enter a date like 2026-12-01.")
    if not errors and days["to"] < days["from"]:
        errors["to"] = _("The end must not be before the start.")
    elif not errors and (days["to"] - days["from"]).days >= LONGEST:
        errors["to"] = _("A period is at most %(days)s days.", days=LONGEST)
    return chosen, errors


def _read(path: str, query: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    status, answer = as_person.send(person(), "GET", f"{API}/{path}", query=query)
    if status == 200:
        return answer, {}
    return None, field_errors(status, answer, FIELDS)


def _figures(chosen: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    unit = {"unit": chosen["unit"]} if chosen["unit"] else {}
    span = {"from": chosen["from"], "to": chosen["to"], **unit}
    funnel, errors = _read("funnel", span)
    if funnel is None:
        return {}, errors
    return {
        "funnel": funnel,
        "funnel_chart": funnel_option(funnel),
        "units": as_person.read(person(), f"{API}/units", {**span, "sort": chosen["sort"]}),
        "improved": as_person.read(person(), f"{API}/improved", span),
        "trend_chart": trend_option(as_person.read(person(), f"{API}/trend", unit)["items"]),
        "drifting": as_person.read(person(), f"{API}/drifting"),
    }, {}


def _sort_links() -> dict[str, str]:
    """The page again, sorted by each figure the comparison sorts by."""
    args: dict[str, Any] = dict(request.args)
    return {key: url_for("pages.admin_figures", **{**args, "sort": key}) for key in SORTS}


@blp.get("/admin/figures")
@for_admin
def admin_figures() -> Page:
    chosen, errors = _choice()
    shown: dict[str, Any] = {}
    if not errors:
        shown, errors = _figures(chosen)
    page = render_template(
        "pages/admin/figures.html",
        chosen=chosen,
        errors=errors,
        tree=unit_tree(),
        whole=not admin_units(),
        periods=PERIODS,
        sorts=_sort_links(),
        stages=STAGES,
        **shown,
    )
    return (page, 422) if errors else page
