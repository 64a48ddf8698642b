"""The gateway's own admin endpoints (accounts and roles, API keys): one guard for all of them.

Only an admin of the whole organisation (a person with the admin role and no unit, or an
admin key without limits) gets past it, and a person still on a one-time password changes it
first. Who is calling comes from the header or the session cookie (gateway/auth.py), so the
pages can use these endpoints too, with their CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, request
from flask_smorest import Blueprint

from gateway.auth_api import BEARER, door
from services.common.errors import Forbidden

ERRORS = (
    (401, "Not signed in, or not a valid key"),
    (403, "Not an admin of the whole organisation"),
)


def guard(blp: Blueprint, what: str) -> Callable[[Any], Any]:
    """Refuse every request to ``blp`` but an organisation admin's (``what`` they manage
    names it in the 403), and return the decorator that documents that on each view."""

    @blp.before_request
    def _admins_only() -> None:
        caller = door().callers.from_request(request)
        if not caller.org_admin:
            raise Forbidden(f"Only an admin of the whole organisation manages {what}.")
        if caller.must_change:
            raise Forbidden("Change your password first: POST /api/v1/auth/password.")
        g.caller = caller

    def admin_only(view: Any) -> Any:
        for status, description in ERRORS:
            view = blp.alt_response(status, response="DEFAULT_ERROR", description=description)(view)
        return blp.doc(**BEARER)(view)

    return admin_only
