"""The lobby wall (``/wall``): this week's boards on an office screen, read from across a room.

Full screen at 1920x1080 with no scrolling, in its own layout (no navigation: nobody is signed
in), the organisation's local date and time, and the time of the last update. The boards part
reloads itself every minute from ``/wall/content`` (htmx); a refresh that fails keeps the last
boards on the screen and says since when the wall is offline (gateway/pages/static/wall.js).

Nobody signs in on a display: the wall opens with a display key, an API key with the read
scope alone, entered once in the wall's own form and kept in a cookie (gateway/pages/
wall_key.py says how and why a more powerful key is refused). The form has no sign-in to bind
its CSRF token to, so, as the sign-in form, it binds it to the ``li_signin`` nonce
(gateway/session.py). What the wall shows: gateway/pages/wall_content.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g, make_response, render_template, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from gateway import session
from gateway.as_person import Refused
from gateway.auth import Caller
from gateway.pages import blp, wall_content, wall_key
from gateway.pages.visitor import is_secure
from gateway.pages.wall_key import KeyRefused
from services.common.db import utcnow
from services.common.errors import ApiError
from services.common.web import settings

Page = tuple[str, int] | Response | str
# How long a refresh may take before the wall counts itself offline (wall.js shows it).
REFRESH_TIMEOUT_MS = 20_000


@blp.get("/wall")
def wall() -> Page:
    """The wall with the display's key; the key form when it has none that opens it."""
    key = wall_key.kept_key(request)
    if key is None:
        return _key_form({}, 200)
    try:
        caller = _display(key)
    except KeyRefused as refused:
        answer = make_response(_key_form({"key": refused.message}, refused.status))
        wall_key.forget(answer, is_secure())
        return answer
    try:
        content: dict[str, Any] | None = _content(caller)
    except (Refused, ApiError):
        content = None  # the frame still shows; the next refresh tries again
    return render_template("pages/wall/wall.html", **_frame(), wall=content)


@blp.post("/wall")
def enter_key() -> Page:
    """The display key typed once: kept in the cookie, then the wall (never in a URL)."""
    session.require_form_csrf(request)
    key = request.form.get("key", "").strip()
    if not key:
        return _key_form({"key": _("Enter the display key.")}, 422)
    try:
        _display(key)
    except KeyRefused as refused:
        return _key_form({"key": refused.message}, refused.status)
    answer = redirect("/wall", 303)
    wall_key.keep(answer, key, is_secure())
    return answer


@blp.get("/wall/content")
def wall_refresh() -> Page | Response:
    """The boards part alone, for the minute's refresh. A key that no longer opens the wall
    reloads the whole page (the form); a board that cannot be read now answers its status
    and nothing else, so the screen keeps what it shows."""
    key = wall_key.kept_key(request)
    try:
        caller = _display(key or "")
    except KeyRefused as refused:
        answer = make_response("", refused.status)
        answer.headers["HX-Refresh"] = "true"
        if key is not None:
            wall_key.forget(answer, is_secure())
        return answer
    try:
        content = _content(caller)
    except Refused as refused:
        return "", refused.status if refused.status >= 400 else 502
    except ApiError as error:
        return "", error.status
    return render_template("pages/wall/content.html", wall=content)


def _display(key: str) -> Caller:
    caller = wall_key.display_caller(key)
    g.caller_name = caller.name  # the access log names the display's key
    return caller


def _content(caller: Caller) -> dict[str, Any]:
    content = wall_content.gather(caller)
    content["updated_at"] = utcnow()
    return content


def _frame() -> dict[str, Any]:
    return {
        "now": utcnow(),
        "timezone": settings().org_timezone,
        "refresh_timeout": REFRESH_TIMEOUT_MS,
    }


@blp.app_template_filter("wall_date")
def wall_date(moment: datetime) -> str:
    """The organisation's local date, in full ("2026年12月3日星期四")."""
    return str(format_date(moment, "full"))


@blp.app_template_filter("wall_time")
def wall_time(moment: datetime) -> str:
    """The organisation's local time of day, to the minute."""
    return str(format_datetime(moment, "HH:mm"))


@blp.app_template_filter("wall_figure")
def wall_figure(value: float | None) -> str:
    """A share or an average, to one decimal; a dash when there is none (no members)."""
    return "—" if value is None else str(format_decimal(value, "#,##0.#"))


def _key_form(errors: dict[str, str], status: int) -> tuple[str, int]:
    return render_template("pages/wall/key.html", errors=errors), status
