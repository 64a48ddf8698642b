"""Who is looking at a page, in which language, and what a page needs before it runs.

A page knows its person from the ``li_session`` cookie alone (gateway/session.py): pages are
for browsers, and an ``Authorization`` header is not a browser's. A page for a person sends a
stranger to the sign-in page and back afterwards; one whose password must change first sends
them to the password page. Every unsafe request to a page carries the CSRF token of its
sign-in in the form (or the header, from htmx).

The language: the person's own choice (kept on their account, gateway/models.py), else the
``li_locale`` cookie the switch sets before a sign-in, else ``Accept-Language``, else zh-CN
(services/common/i18n.py reads the choice from ``g``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from gateway import session
from gateway.accounts import ADMIN, REVIEWER
from gateway.auth import Caller
from gateway.auth_api import door
from gateway.models import Account
from services.common import i18n
from services.common.db import current_db
from services.common.errors import Unauthorized

LOCALE_COOKIE = "li_locale"
LOCALE_COOKIE_SECONDS = 365 * 24 * 3600
# The pages a person on a first or one-time password may still open.
BEFORE_PASSWORD_CHANGE = frozenset({"pages.password", "pages.sign_out", "pages.language"})
View = TypeVar("View", bound=Callable[..., Any])


def install(blp: Blueprint) -> None:
    blp.before_request(_look)
    blp.after_request(_sign_in_nonce)
    blp.app_context_processor(_template_globals)


def _look() -> None:
    """Who is looking (None for a stranger or an ended sign-in) and their language."""
    g.caller = None
    if request.endpoint == "pages.static":
        return  # a script or a style: nobody to look up
    cookie = request.cookies.get(session.COOKIE)
    chosen = request.cookies.get(LOCALE_COOKIE)
    if cookie:
        try:
            caller, _ = door().callers.session_of(cookie)
        except Unauthorized:
            caller = None
        if caller is not None:
            g.caller, g.caller_name = caller, caller.name
            chosen = _account_locale(caller) or chosen
    if chosen in i18n.LOCALES:
        g.setdefault(i18n.CHOSEN, chosen)
    if g.caller is None and session.SIGNIN_COOKIE not in request.cookies:
        g.signin_nonce = session.new_signin_nonce(current_app)


def _account_locale(caller: Caller) -> str | None:
    with current_db().read() as db:
        found: str | None = db.scalar(
            select(Account.locale).where(Account.staff_no == caller.staff_no)
        )
    return found


def _sign_in_nonce(response: Response) -> Response:
    """A browser with no sign-in keeps the nonce its pre-sign-in forms' tokens bind to."""
    nonce = g.get("signin_nonce")
    if nonce is not None:
        session.set_signin_cookie(response, nonce, is_secure())
    return response


def is_secure() -> bool:
    return session.secure(door().cookie_secure, request)


def person() -> Caller:
    """The signed-in person of a page made with ``for_person``."""
    caller: Caller = g.caller
    return caller


def for_person(view: View) -> View:
    """A page for a signed-in person: strangers go to the sign-in page, a person who must
    change their password to the password page; an unsafe request needs its CSRF token."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        caller: Caller | None = g.get("caller")
        if caller is None:
            return redirect(url_for("pages.sign_in", next=here()))
        if caller.must_change and request.endpoint not in BEFORE_PASSWORD_CHANGE:
            return redirect(url_for("pages.password"))
        session.require_form_csrf(request)
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


def here() -> str:
    """This page's path and query, to come back to after signing in."""
    return request.full_path.rstrip("?")


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default``: a sign-in's ``next`` must
    never send a person to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return default
    return target


def _template_globals() -> dict[str, Any]:
    caller: Caller | None = g.get("caller")
    return {
        "caller": caller,
        "is_admin": caller is not None and caller.holds(ADMIN),
        "is_reviewer": caller is not None and caller.holds(REVIEWER, ADMIN),
        "csrf_token": session.csrf_token,
        "locale": i18n.negotiated,
        "locales": i18n.LOCALES,
    }
