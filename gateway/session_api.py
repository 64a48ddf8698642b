"""``/api/v1/auth/session``: a browser signs in, looks at its session, signs out.

Signing in is the same as ``POST /api/v1/auth/sign-in`` (the same check, throttle and audit,
gateway/auth_api.py), but the token goes in the ``li_session`` cookie instead of the answer,
and the answer holds the CSRF token every unsafe request with the cookie must send
(gateway/session.py). There is no refresh: a session lasts ``SESSION_SECONDS`` (a working day)
from its sign-in, then the person signs in again. These views read the cookie only, whatever
Authorization header comes with it: they are about the browser's session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, after_this_request, current_app, request
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from gateway import accounts, session, tokens
from gateway.auth import Caller, person
from gateway.auth_api import PUBLIC, door, own_route, signed_in
from gateway.auth_schemas import SessionSchema, SignInSchema
from gateway.models import Account
from services.common.db import current_db
from services.common.errors import Unauthorized

blp = Blueprint(
    "session", __name__, url_prefix="/api/v1/auth", description="A browser's session (cookie)"
)
COOKIE_ONLY: dict[str, Any] = {"security": [{"session": []}]}
NOT_SIGNED_IN = "Not signed in: no session cookie."


def as_json(caller: Caller, expires_at: datetime, csrf_token: str) -> dict[str, Any]:
    return {
        "staff_no": caller.staff_no,
        "roles": [{"role": held.role, "unit": held.unit} for held in caller.roles],
        "must_change_password": caller.must_change,
        "csrf_token": csrf_token,
        "expires_at": expires_at,
    }


@own_route(blp, "/session", "POST")
@blp.arguments(SignInSchema)
@blp.response(200, SessionSchema, description="Signed in; the cookie is set")
@blp.alt_response(401, response="DEFAULT_ERROR", description="Wrong staff number or password")
@blp.alt_response(429, response="DEFAULT_ERROR", description="Too many failures; see Retry-After")
@blp.doc(**PUBLIC)
def start(body: dict[str, str]) -> dict[str, Any]:
    """Sign in a browser: the session cookie, and the CSRF token to send with it"""

    token, expires_at, caller = signed_in(body, begin)
    is_secure = session.secure(door().cookie_secure, request)

    @after_this_request
    def _set(response: Response) -> Response:
        session.set_cookie(response, token, expires_at, is_secure)
        return response

    return as_json(caller, expires_at, session.csrf_token_for(current_app, token))


def begin(db: Session, account: Account) -> tuple[str, datetime, Caller]:
    """A browser's sign-in for the account: its token, when it ends, and the person (the
    sign-in page opens the same, gateway/pages/signin.py)."""
    token, expires_at = tokens.issue_access(db, account, door().session_life)
    held = accounts.roles_of(db, account.id)
    return token, expires_at, person(account.staff_no, held, account.must_change)


@own_route(blp, "/session", "GET")
@blp.response(200, SessionSchema)
@blp.alt_response(401, response="DEFAULT_ERROR", description="No current session")
@blp.doc(**COOKIE_ONLY)
def current() -> dict[str, Any]:
    """The browser's session: who, until when, and its CSRF token"""
    caller, expires_at = door().callers.session_of(_cookie())
    return as_json(caller, expires_at, session.csrf_token())


@own_route(blp, "/session", "DELETE")
@blp.response(204, description="Signed out; the cookie is cleared")
@blp.alt_response(401, response="DEFAULT_ERROR", description="No current session")
@blp.alt_response(403, response="DEFAULT_ERROR", description="No valid CSRF token")
@blp.doc(**COOKIE_ONLY)
def end() -> None:
    """Sign the browser out: its session stops working at once"""
    cookie = _cookie()
    door().callers.session_of(cookie)
    session.require_csrf(request)
    with current_db().write() as db:
        try:
            row = tokens.current(db, cookie, tokens.ACCESS)
        except tokens.TokenRefused as exc:  # signed out by another request just now
            raise Unauthorized(str(exc)) from exc
        tokens.revoke_family(db, row.family)
    is_secure = session.secure(door().cookie_secure, request)

    @after_this_request
    def _clear(response: Response) -> Response:
        session.clear_cookie(response, is_secure)
        return response


@blp.after_request
def _not_cached(response: Response) -> Response:
    """An answer with a CSRF token (or a cookie) is for this browser only, and only now."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _cookie() -> str:
    cookie = request.cookies.get(session.COOKIE)
    if not cookie:
        raise Unauthorized(NOT_SIGNED_IN)
    return cookie
