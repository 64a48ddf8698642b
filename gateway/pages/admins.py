"""What the admins' access and correction pages share: who may open them, the page that shows
a secret once, and times and days in the organisation's zone.

The pages ask what the API asks: keys, accounts, roles and the gateway's audit log are for an
admin of the whole organisation only (gateway/admins_only.py); an admin limited to a subtree
may adjust points where the points service lets them (their units), and nothing more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import make_response, render_template
from flask_babel import format_datetime, get_timezone
from werkzeug.wrappers import Response

from gateway.accounts import ADMIN
from gateway.auth import Caller
from gateway.pages import blp
from gateway.pages.visitor import person
from services.common.errors import Forbidden

FIRST_YEAR, LAST_YEAR = 1900, 9998


def org_admin() -> Caller:
    """The person, if an admin of the whole organisation; else 403, as the API says."""
    caller = person()
    if not caller.org_admin:
        raise Forbidden("Only an admin of the whole organisation manages access.")
    return caller


def any_admin() -> Caller:
    """The person, if they hold the admin role anywhere (the service keeps them to it)."""
    caller = person()
    if not caller.holds(ADMIN):
        raise Forbidden("Only an admin corrects points.")
    return caller


def shown_once(template: str, status: int = 200, **context: Any) -> Response:
    """A page holding a secret (a key, a first password, a reset code): answered to the POST
    that made it, never redirected to (a URL would keep it) and never kept by the browser."""
    answer = make_response(render_template(template, **context), status)
    answer.headers["Cache-Control"] = "no-store"
    answer.headers["Pragma"] = "no-cache"
    return answer


def day_start(day: date) -> datetime:
    """The first moment of a day in the organisation's zone, in UTC."""
    return datetime.combine(day, time(), tzinfo=_zone()).astimezone(UTC)


def day_after(day: date) -> datetime:
    return day_start(day + timedelta(days=1))


def today() -> date:
    return datetime.now(_zone()).date()


def _zone() -> ZoneInfo:
    # Flask-Babel's zone object is pytz's, which needs its own localize(): by name instead.
    return ZoneInfo(str(get_timezone()))


def parse_day(text: str) -> date | None:
    """A day typed as YYYY-MM-DD (what a date input sends), or None; years far from ours
    too (the calendar's ends have no UTC moment on both sides)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def moment(value: datetime | str | None) -> str:
    """A stored time (UTC, or its ISO text) as the organisation's local time; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(format_datetime(value, "yyyy-MM-dd HH:mm"))


blp.add_app_template_filter(moment, "access_moment")
