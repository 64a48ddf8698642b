"""``/api/v1/auth/...``: a person signs in, refreshes, signs out, changes their password, or
redeems a one-time reset code. The gateway answers these itself; the admin's side (accounts,
first passwords, reset codes, roles) is gateway/accounts_api.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from gateway import accounts, tokens
from gateway.accounts import AccountProblem
from gateway.auth import Callers, credential
from gateway.auth_schemas import (
    ChangePasswordSchema,
    RedeemSchema,
    RefreshSchema,
    SignInSchema,
    TokensSchema,
)
from gateway.models import Account
from gateway.passwords import SignIn, SignInRefused
from gateway.throttle import SignInThrottle, TooManyRequests
from services.common.db import current_db
from services.common.errors import Unauthorized

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="People's sign-in")
PUBLIC: dict[str, Any] = {"security": []}
# The header, or a browser's session cookie (then with its CSRF token: gateway/session.py).
BEARER: dict[str, Any] = {"security": [{"bearer": []}, {"session": []}]}
T = TypeVar("T")


@dataclass(frozen=True)
class Door:
    """What the sign-in views need, made once by the app factory."""

    sign_in: SignIn  # passwords today; single sign-on would be another implementation
    throttle: SignInThrottle
    lifetimes: tokens.Lifetimes
    reset_code_life: timedelta
    callers: Callers
    session_life: timedelta  # a browser's session (gateway/session_api.py)
    cookie_secure: str  # "auto", "true" or "false" (gateway/session.py)


def own_route(blp: Blueprint, rule: str, method: str) -> Callable[[Any], Any]:
    """``blp.route`` for one method, with OPTIONS left to the gateway's own answer (from the
    document, gateway/proxy.py): Flask's would list every method of the forwarding rule."""

    def register(view: Any) -> Any:
        view.provide_automatic_options = False  # read by Flask when the rule is added
        return blp.route(rule, methods=[method])(view)

    return register


def door() -> Door:
    found: Door = current_app.extensions["gateway.door"]
    return found


def address() -> str:
    # The gateway is the front door, so the peer's address is the client's; a forwarded-for
    # header is the client's to write and is not believed.
    return request.remote_addr or "-"


@own_route(blp, "/sign-in", "POST")
@blp.arguments(SignInSchema)
@blp.response(200, TokensSchema)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Wrong staff number or password")
@blp.alt_response(429, response="DEFAULT_ERROR", description="Too many failures; see Retry-After")
@blp.doc(**PUBLIC)
def sign_in(body: dict[str, str]) -> dict[str, Any]:
    """Sign in with staff number and password: an access and a refresh token"""

    def pair(session: Session, account: Account) -> dict[str, Any]:
        return {**tokens.issue(session, account, door().lifetimes).as_json(),
                "must_change_password": account.must_change}  # fmt: skip

    return signed_in(body, pair)


def signed_in(body: dict[str, str], issue: Callable[[Session, Account], T]) -> T:
    """Every sign-in (tokens here, a browser's session in gateway/session_api.py): throttled,
    checked and audited, and what ``issue`` gives for the account, in the same transaction."""
    staff_no, here = body["staff_no"], address()
    try:
        door().throttle.check(staff_no, here)
    except TooManyRequests:
        with current_db().write() as session:
            accounts.audit(session, f"member:{staff_no}", "sign-in", "throttled",
                           subject=staff_no, address=here)  # fmt: skip
        raise
    with current_db().write() as session:
        try:
            account = door().sign_in.identify(session, staff_no, body["password"])
        except SignInRefused:
            account = None
        outcome = "ok" if account is not None else "refused"
        accounts.audit(session, f"member:{staff_no}", "sign-in", outcome, subject=staff_no,
                       address=here)  # fmt: skip
        if account is not None:
            return issue(session, account)
    door().throttle.failed(staff_no, here)
    raise Unauthorized("Wrong staff number or password.")


@own_route(blp, "/refresh", "POST")
@blp.arguments(RefreshSchema)
@blp.response(200, TokensSchema)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Not a current refresh token")
@blp.doc(**PUBLIC)
def refresh(body: dict[str, str]) -> dict[str, Any]:
    """Trade a refresh token (once) for a new pair"""
    with current_db().write() as session:
        try:
            account, issued = tokens.refresh(session, body["refresh_token"], door().lifetimes)
        except tokens.TokenRefused as exc:
            refused = exc
        else:
            return {**issued.as_json(), "must_change_password": account.must_change}
    raise Unauthorized(str(refused))  # after the commit: a replay's revocation is kept


@own_route(blp, "/sign-out", "POST")
@blp.response(204)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Not signed in")
@blp.doc(**BEARER)
def sign_out() -> None:
    """Sign out: this sign-in's access and refresh tokens stop working at once"""
    with current_db().write() as session:
        try:
            row = tokens.current(session, g.token, tokens.ACCESS)
        except tokens.TokenRefused as exc:  # signed out by another request just now
            raise Unauthorized(str(exc)) from exc
        tokens.revoke_family(session, row.family)


@own_route(blp, "/password", "POST")
@blp.arguments(ChangePasswordSchema)
@blp.response(204)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Not signed in")
@blp.alt_response(403, response="DEFAULT_ERROR", description="The current password is wrong")
@blp.doc(**BEARER)
def change_password(body: dict[str, str]) -> None:
    """Change your password (the current one is needed); every token you hold stops working"""
    staff_no = g.caller.staff_no
    with current_db().write() as session:
        account = accounts.find(session, staff_no)
        try:
            accounts.change_password(session, account, body["old_password"], body["new_password"])
            outcome, refused = "ok", None
        except AccountProblem as exc:
            outcome, refused = "refused", exc
        accounts.audit(session, f"member:{staff_no}", "password-change", outcome,
                       subject=staff_no, address=address())  # fmt: skip
    if refused is not None:
        raise refused


@own_route(blp, "/reset", "POST")
@blp.arguments(RedeemSchema)
@blp.response(204)
@blp.alt_response(403, response="DEFAULT_ERROR", description="Unknown, used or expired code")
@blp.doc(**PUBLIC)
def redeem(body: dict[str, str]) -> None:
    """Set a new password with a one-time reset code from an admin"""
    reset_with_code(body["code"], body["new_password"])


def reset_with_code(code: str, new_password: str) -> str:
    """Redeem a reset code, audited either way (the API's and the reset page's): the staff
    number whose password it set; ``AccountProblem`` (403) for an unknown, used or expired
    code."""
    try:
        with current_db().write() as session:
            account = accounts.redeem_reset_code(session, code, new_password)
            accounts.audit(session, f"member:{account.staff_no}", "password-reset", "ok",
                           subject=account.staff_no, address=address())  # fmt: skip
            return account.staff_no
    except AccountProblem:
        with current_db().write() as session:
            accounts.audit(session, "-", "password-reset", "refused", address=address())
        raise


@blp.before_request
def _signed_in_first() -> None:
    """Who is asking, before the body is read: a stranger gets 401, never a 422."""
    if request.endpoint not in SIGNED_IN:
        return
    caller = door().callers.from_request(request)
    if caller.staff_no is None:
        raise Unauthorized("This needs a person's sign-in token, not an API key.")
    g.caller = caller
    g.token = credential(request)


SIGNED_IN = frozenset({"auth.sign_out", "auth.change_password"})
