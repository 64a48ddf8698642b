"""/api/v1/analytics: is the learning culture improving? Admins only, within their units."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.calendar import today
from services.common.db import current_db, utcnow
from services.common.errors import Unprocessable
from services.common.web import settings
from services.points.analytics import access, periods, quiz_series, reads
from services.points.analytics.schemas import (
    LONGEST,
    ComparisonQuerySchema,
    ComparisonSchema,
    DriftingQuerySchema,
    DriftingSchema,
    FunnelSchema,
    ImprovedSchema,
    PeriodQuerySchema,
    QuizSeriesSchema,
    TrendQuerySchema,
    TrendSchema,
    UnitsQuerySchema,
)

blp = Blueprint(
    "analytics", __name__, url_prefix="/api/v1/analytics", description="The organisation's figures"
)
DEFAULT_DAYS = 30
FORBIDDEN = "Not an admin, or the unit is outside the units you administer."


def _zone() -> str:
    return settings().org_timezone


def _period(query: dict[str, Any]) -> periods.Period:
    """The query's period; a missing end is today, a missing start 30 days before the end."""
    last: date = query["to"] or today(_zone())
    first: date = query["from_"] or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or periods.days((first, last)) > LONGEST:
        field = "to" if query["to"] else "from"
        message = f"The period must run forward and last at most {LONGEST} days."
        raise Unprocessable(errors={"query": {field: [message]}})
    return first, last


@blp.route("/funnel")
class Funnel(MethodView):
    @blp.arguments(PeriodQuerySchema(), location="query")
    @blp.response(200, FunnelSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """A unit's funnel for a period: members, attendance, quizzes, practice reports, points
        per member and day, activity; the unit's leaders beside their staff."""
        with current_db().read() as session:
            unit_id = access.unit_in_reach(session, query["unit"])
            return reads.funnel(session, unit_id, _period(query), _zone(), utcnow())


def _where(session: Any, query: dict[str, Any]) -> tuple[int | None, int | None]:
    """(parent, level) of the units a query compares; the parent must be in reach."""
    if query["unit"] is None:
        access.admins_only()
        return None, query["level"]
    return access.unit_in_reach(session, query["unit"]), query["level"]


@blp.route("/units")
class Units(MethodView):
    @blp.arguments(ComparisonQuerySchema(), location="query")
    @blp.response(200, ComparisonSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """A unit's child units (the top units, or every unit ``level`` deep) side by side, per
        member and by participation, sorted by ``sort`` (highest first)."""
        with current_db().read() as session:
            where = _where(session, query)
            period, now = _period(query), utcnow()
            return reads.compare(session, where, period, _zone(), sort=query["sort"], now=now)


@blp.route("/improved")
class Improved(MethodView):
    @blp.arguments(UnitsQuerySchema(), location="query")
    @blp.response(200, ImprovedSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The most improved units: points per member and day in this period against the
        period of equal length before it, biggest rise first."""
        with current_db().read() as session:
            where = _where(session, query)
            return reads.improved(session, where, _period(query), _zone(), utcnow())


@blp.route("/trend")
class Trend(MethodView):
    @blp.arguments(TrendQuerySchema(), location="query")
    @blp.response(200, TrendSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """The last ``count`` weeks or months (the current one up to today), oldest first."""
        day = today(_zone())
        if query["by"] == "week":
            spans = periods.last_weeks(day, query["count"], complete=False)
        else:
            spans = periods.last_months(day, query["count"])
        with current_db().read() as session:
            unit_id = access.unit_in_reach(session, query["unit"])
            items = reads.trend(session, unit_id, spans, _zone(), utcnow())
        return {"unit": query["unit"], "by": query["by"], "items": items}


@blp.route("/drifting")
class Drifting(MethodView):
    @blp.arguments(DriftingQuerySchema(), location="query")
    @blp.response(200, DriftingSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Units whose activity rate stayed under the median of the organisation's units in
        each of the last ``weeks`` weeks already over."""
        access.admins_only()
        weeks = periods.last_weeks(today(_zone()), query["weeks"], complete=True)
        with current_db().read() as session:
            return reads.drifting(session, weeks, _zone(), utcnow())


@blp.route("/quizzes")
class Quizzes(MethodView):
    @blp.arguments(PeriodQuerySchema(), location="query")
    @blp.response(200, QuizSeriesSchema)
    @blp.alt_response(403, description=FORBIDDEN)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """A unit's quizzes that opened in the period, one after another: participation, the
        average and the change from the quiz before."""
        period = _period(query)
        with current_db().read() as session:
            unit_id = access.unit_in_reach(session, query["unit"])
            since, until = periods.instants(period, _zone())
            items = quiz_series.series(session, unit_id, since, until)
        span = {"from": period[0], "to": period[1], "days": periods.days(period)}
        return {"unit": query["unit"], **span, "items": items}
