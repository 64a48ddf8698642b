"""A browser's sign-in: the ``li_session`` cookie and the CSRF token that goes with it.

A page cannot keep a bearer token where its own script could not leak it, so a person signs in
once (``/api/v1/auth/session``, gateway/session_api.py) and the gateway answers with an
HttpOnly cookie holding an access token of gateway/tokens.py that lives ``SESSION_SECONDS``.
The browser sends the cookie with every request to the gateway, whichever site started it, so
every unsafe request it authenticates must also carry a CSRF token, which another site cannot
read: in the ``X-CSRF-Token`` header (the pages' forms will carry it in their ``csrf_token``
field, which Flask-WTF's forms check against the same session; the proxy reads no form, whose
body it must forward untouched). A request with an ``Authorization`` header carries no ambient
credential and needs none (gateway/auth.py).

The tokens are Flask-WTF's (``generate_csrf``/``validate_csrf``): a signed, timed copy of a raw
token that Flask-WTF looks up in the Flask session. The gateway keeps no Flask session, and a
signed-cookie one would add a second cookie whose raw token is tied to no sign-in and outlives
a sign-out. So the Flask session here is a view of the sign-in: ``BoundToSignIn`` gives each
request a session whose raw token is an HMAC of its ``li_session`` token. Nothing is stored;
each sign-in has its own CSRF token, which cannot be used with another sign-in's cookie, and
it ends with the sign-in (a revoked or expired token opens nothing, whatever comes with it).
Tokens are signed with their time and accepted for ``SESSION_SECONDS``, the longest a sign-in
lasts. Sign-in itself takes JSON only, which no form of another site can send.

Both keys (one signs CSRF tokens, one binds them to a sign-in) are derived from the internal
hop's secret, each by HMAC with its own label: no bytes serve two purposes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from flask import Flask, Request, Response, g, session
from flask.sessions import SessionInterface, SessionMixin
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.wrappers import Response as AnyResponse
from wtforms import ValidationError

from services.common.db import utcnow
from services.common.errors import Forbidden
from services.settings import Settings

COOKIE = "li_session"
# Before a sign-in there is no session to bind a CSRF token to, yet the sign-in page's form
# needs one (or another site could sign a browser in as someone else): the page sets this
# cookie, a random nonce, and the form's token is bound to it instead.
SIGNIN_COOKIE = "li_signin"
SIGNIN_COOKIE_SECONDS = 3600
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"  # Flask-WTF's default: forms' hidden field and the session's key
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_REFUSED = "The CSRF token is missing or invalid."


def derived_key(secret: bytes, label: str) -> bytes:
    return hmac.new(secret, f"gateway web session: {label}".encode(), hashlib.sha256).digest()


class _Session(dict[str, Any], SessionMixin):
    """One request's Flask session: only the raw CSRF token, derived, never saved."""


class BoundToSignIn(SessionInterface):
    """Flask sessions whose raw CSRF token is derived from the request's ``li_session``."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def raw_token(self, token: str) -> str:
        return hmac.new(self.key, token.encode(), hashlib.sha256).hexdigest()

    def open_session(self, app: Flask, request: Request) -> _Session:
        opened = _Session()
        token = request.cookies.get(COOKIE)
        nonce = request.cookies.get(SIGNIN_COOKIE)
        if token:
            opened[CSRF_FIELD] = self.raw_token(token)
        elif nonce:
            opened[CSRF_FIELD] = self.raw_token(_SIGNIN + nonce)
        return opened

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Nothing to keep: the next request derives the same token from its cookie. An answer
        to a request with the cookie depended on it, and says so to caches (as Flask's own
        sessions do)."""
        if CSRF_FIELD in session:
            response.vary.add("Cookie")


def install(app: Flask, settings: Settings) -> None:
    secret = settings.internal_key()
    app.session_interface = BoundToSignIn(derived_key(secret, "csrf binding"))
    app.config.update(
        WTF_CSRF_SECRET_KEY=derived_key(secret, "csrf signing"),
        WTF_CSRF_TIME_LIMIT=settings.session_seconds,
        WTF_CSRF_FIELD_NAME=CSRF_FIELD,
    )


def csrf_token_for(app: Flask, token: str) -> str:
    """The CSRF token of a sign-in just made, whose cookie this request did not carry."""
    interface = app.session_interface
    assert isinstance(interface, BoundToSignIn)
    session[CSRF_FIELD] = interface.raw_token(token)
    g.pop(CSRF_FIELD, None)  # generate_csrf keeps one per request: not the old sign-in's
    return csrf_token()


def new_signin_nonce(app: Flask) -> str:
    """A nonce for a browser with neither a sign-in nor a nonce yet, bound to this request's
    session at once, so the forms it renders carry its CSRF token; the cookie goes on the
    answer (``set_signin_cookie``)."""
    interface = app.session_interface
    assert isinstance(interface, BoundToSignIn)
    nonce = secrets.token_urlsafe(24)
    session[CSRF_FIELD] = interface.raw_token(_SIGNIN + nonce)
    g.pop(CSRF_FIELD, None)
    return nonce


def set_signin_cookie(response: AnyResponse, nonce: str, is_secure: bool) -> None:
    response.set_cookie(
        SIGNIN_COOKIE, nonce, max_age=SIGNIN_COOKIE_SECONDS, path="/",
        secure=is_secure, httponly=True, samesite="Lax",
    )  # fmt: skip


_SIGNIN = "sign-in nonce: "


def require_form_csrf(request: Request) -> None:
    """As ``require_csrf``, for a page's own form: the token in its ``csrf_token`` field (or
    the header, which htmx sends). Only the gateway's pages read a form; the proxy does not."""
    if request.method in SAFE_METHODS:
        return
    try:
        validate_csrf(request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))
    except ValidationError as exc:
        raise Forbidden(CSRF_REFUSED) from exc


def csrf_token() -> str:
    """The CSRF token of the request's own sign-in (its cookie)."""
    token: str = generate_csrf()
    return token


def require_csrf(request: Request) -> None:
    """403 for an unsafe request without a valid CSRF token of its cookie's sign-in."""
    if request.method in SAFE_METHODS:
        return
    try:
        validate_csrf(request.headers.get(CSRF_HEADER))
    except ValidationError as exc:
        raise Forbidden(CSRF_REFUSED) from exc


def secure(setting: str, request: Request) -> bool:
    """Whether the cookie is marked Secure. "auto": when the request came over https, to the
    gateway itself or, with TRUSTED_PROXIES set, to the proxy in front of it (its
    X-Forwarded-Proto); a client's own header is never believed."""
    if setting == "auto":
        return request.is_secure
    return setting == "true"


def set_cookie(response: AnyResponse, token: str, expires_at: datetime, is_secure: bool) -> None:
    """The cookie, forgotten by the browser when the sign-in expires."""
    max_age = max(0, round((expires_at - utcnow()).total_seconds()))
    response.set_cookie(
        COOKIE, token, max_age=max_age, expires=expires_at, path="/",
        secure=is_secure, httponly=True, samesite="Lax",
    )  # fmt: skip


def clear_cookie(response: AnyResponse, is_secure: bool) -> None:
    response.delete_cookie(COOKIE, path="/", secure=is_secure, httponly=True, samesite="Lax")
