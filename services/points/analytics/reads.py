"""The figures the API answers with: a unit's funnel, units side by side, the most improved,
a trend, the drifting units. Each period is counted once in SQL (counts.tally) and added up
the tree (rates.roll_up); a trend or the drifting units count one period after another."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.analytics import access, counts, rates
from services.points.analytics.periods import Period, days, previous
from services.points.models import Unit

Rolled = dict[int | None, dict[str, Counter[str]]]


def _rolled(session: Session, tree: org.Tree, period: Period, zone: str, now: datetime) -> Rolled:
    return rates.roll_up(tree, counts.tally(session, period, zone, now))


def _span(period: Period) -> dict[str, Any]:
    return {"from": period[0], "to": period[1], "days": days(period)}


def funnel(
    session: Session, unit_id: int | None, period: Period, zone: str, now: datetime
) -> dict[str, Any]:
    tree = org.unit_codes(session)
    rolled = _rolled(session, tree, period, zone, now)
    code = tree[unit_id][0] if unit_id is not None else None
    return {"unit": code, **_span(period), **rates.of_unit(rolled, unit_id, days(period))}


def chosen(tree: org.Tree, parent_id: int | None, level: int | None) -> list[int]:
    """A unit's child units (the top units without one), or every unit ``level`` deep (1: the
    top), that the person administers."""
    if level is not None:
        found = [u for u in tree if len(org.unit_path(tree, u)) == level]
    else:
        found = [u for u, (_, parent) in tree.items() if parent == parent_id]
    return access.visible(tree, found)


def _names(session: Session) -> dict[int, str]:
    return {row.id: row.name for row in session.execute(select(Unit.id, Unit.name))}


def compare(
    session: Session, where: tuple[int | None, int | None], period: Period, zone: str, **how: Any
) -> dict[str, Any]:
    tree, names = org.unit_codes(session), _names(session)
    rolled = _rolled(session, tree, period, zone, how["now"])
    rows = [
        {"unit": tree[u][0], "name": names[u], **rates.of_unit(rolled, u, days(period))["all"]}
        for u in chosen(tree, *where)
    ]
    return {**_span(period), "sort": how["sort"], "items": rates.ordered(rows, how["sort"])}


def improved(
    session: Session, where: tuple[int | None, int | None], period: Period, zone: str, now: datetime
) -> dict[str, Any]:
    """This period against the one of equal length before it, per unit: the change in daily
    points per member (and in the activity rate)."""
    tree, names = org.unit_codes(session), _names(session)
    before_period = previous(period)
    now_rolled = _rolled(session, tree, period, zone, now)
    before_rolled = _rolled(session, tree, before_period, zone, now)
    rows = []
    for unit_id in chosen(tree, *where):
        this = rates.of_unit(now_rolled, unit_id, days(period))["all"]
        then = rates.of_unit(before_rolled, unit_id, days(period))["all"]
        rows.append(
            {
                "unit": tree[unit_id][0],
                "name": names[unit_id],
                "per_capita_daily": this["per_capita_daily"],
                "per_capita_before": then["per_capita_daily"],
                "change": _change(this["per_capita_daily"], then["per_capita_daily"], 2),
                "activity_rate": this["activity_rate"],
                "activity_before": then["activity_rate"],
                "activity_change": _change(this["activity_rate"], then["activity_rate"], 4),
            }
        )
    previous_span = {"previous_from": before_period[0], "previous_to": before_period[1]}
    return {**_span(period), **previous_span, "items": rates.ordered(rows, "change")}


def _change(now: float | None, before: float | None, places: int) -> float | None:
    return None if now is None or before is None else round(now - before, places)


def trend(
    session: Session, unit_id: int | None, periods: list[Period], zone: str, now: datetime
) -> list[dict[str, Any]]:
    tree = org.unit_codes(session)
    found = []
    for period in periods:
        shown = rates.of_unit(_rolled(session, tree, period, zone, now), unit_id, days(period))
        keep = ("per_capita_daily", "activity_rate", "attendance_rate")
        found.append({**_span(period), **{k: shown["all"][k] for k in keep}})
    return found


def drifting(session: Session, weeks: list[Period], zone: str, now: datetime) -> dict[str, Any]:
    """Units whose activity rate was under the median of all units' (those with members) in
    every one of ``weeks``; listed only where the person administers them."""
    tree, names = org.unit_codes(session), _names(session)
    shown_weeks: list[dict[str, Any]] = []
    history: dict[int, list[float | None]] = {u: [] for u in tree}
    low = set(tree)
    for week in weeks:
        rolled = _rolled(session, tree, week, zone, now)
        rate = {u: rates.of_unit(rolled, u, days(week))["all"]["activity_rate"] for u in tree}
        middle, under = rates.below_median({str(u): r for u, r in rate.items()})
        low &= {int(u) for u in under}
        for unit_id in tree:
            history[unit_id].append(rate[unit_id])
        shown_weeks.append({"from": week[0], "to": week[1], "median": middle})
    items = [
        {"unit": tree[u][0], "name": names[u], "activity_rates": history[u]}
        for u in sorted(access.visible(tree, list(low)), key=lambda u: tree[u][0])
    ]
    return {"weeks": shown_weeks, "items": items}
