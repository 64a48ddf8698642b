"""The lobby wall's display key: kept in a cookie, checked on every request, refused if it
could change anything.

A display has nobody signed in: it shows the boards with an API key (gateway/keys.py) that an
admin made for it, entered once in the wall's form. The browser keeps the key in the
``li_display`` cookie: HttpOnly (no script on the page can read it), SameSite=Strict (no other
site's page or link sends it), Path=/wall (no other page or API call carries it) and long-lived,
so a display keeps working after a restart. The key never travels in a URL, where access logs,
a proxy's logs and the browser's history would keep it: the form POSTs it, and the answer is a
redirect to the plain ``/wall``.

Every request authenticates the cookie's key through the gateway's own key cache
(``KeyCache.authenticate``, the API's): a key revoked, rotated or expired stops opening the
wall when it stops opening the API.

Only a key whose scopes are ``read`` alone is a display key. A screen in a lobby or a corridor
is a device anyone passing by can reach: its browser's cookies can be read off its disk, its
developer tools opened, the key copied. A key with ``events`` could post learning events as
any member (points for nothing), one with ``admin`` could change everything. With a read key,
what a stolen display key opens is what the wall already shows on the screen; so a key with
a write scope is refused for the wall even though it also holds ``read``, and the form says
why.
"""

from __future__ import annotations

from flask import Request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth import Caller
from gateway.keys import prefix_of
from gateway.proxy import keys
from services.common.errors import Unauthorized

COOKIE = "li_display"
COOKIE_PATH = "/wall"
# Browsers keep a cookie at most about 400 days; a year, renewed by nothing but a new key.
COOKIE_SECONDS = 365 * 24 * 3600
READ = "read"

# The key cache's reasons (gateway/auth.py), in the reader's language; anything else: not valid.
_UNAUTHORIZED = {
    "The API key has been revoked.": _l("This display key has been revoked. Enter a new one."),
    "The API key has expired.": _l("This display key has expired. Enter a new one."),
}
_NOT_VALID = _l("This is not a valid display key. Check it and enter it again.")


class KeyRefused(Exception):
    """Why the wall will not open with a key, said on the form, with the status to answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def display_caller(key: str) -> Caller:
    """The system caller a display key stands for, or ``KeyRefused`` (401: not a key that
    opens anything now; 403: a key that must not be a display's)."""
    if prefix_of(key) is None:
        raise KeyRefused(str(_NOT_VALID), 401)
    try:
        caller = keys().authenticate(key)
    except Unauthorized as exc:
        raise KeyRefused(str(_UNAUTHORIZED.get(exc.message or "", _NOT_VALID)), 401) from exc
    if caller.scopes != {READ}:  # any other scope is a write one (gateway/keys.py SCOPES)
        said = _l(
            "This key can change data (scopes: %(scopes)s). A display anyone can reach must "
            "not hold such a key: ask for a key with the read scope only.",
            scopes=caller.scope_text,
        )
        raise KeyRefused(str(said), 403)
    return caller


def kept_key(request: Request) -> str | None:
    """The key this display keeps, if any."""
    return request.cookies.get(COOKIE) or None


def keep(response: Response, key: str, is_secure: bool) -> None:
    response.set_cookie(
        COOKIE, key, max_age=COOKIE_SECONDS, path=COOKIE_PATH,
        secure=is_secure, httponly=True, samesite="Strict",
    )  # fmt: skip


def forget(response: Response, is_secure: bool) -> None:
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=is_secure, httponly=True, samesite="Strict"
    )
