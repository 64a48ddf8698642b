"""Signing in and out on a page, changing one's password, and the language switch.

The sign-in form does what ``POST /api/v1/auth/session`` does (the same check, throttle and
audit, gateway/auth_api.py; the same session, gateway/session_api.py), and its CSRF token is
bound to the ``li_signin`` nonce, since no sign-in exists yet (gateway/session.py). Wrong
credentials and too many failures are said on the form, with the status the API would give.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from gateway import accounts, passwords, session, session_api, tokens
from gateway.accounts import AccountProblem
from gateway.auth_api import address, signed_in
from gateway.models import Account
from gateway.pages import blp
from gateway.pages.visitor import (
    LOCALE_COOKIE,
    LOCALE_COOKIE_SECONDS,
    for_person,
    is_secure,
    local_path,
    person,
)
from gateway.throttle import TooManyRequests
from services.common import i18n
from services.common.db import current_db
from services.common.errors import Unauthorized

Page = tuple[str, int] | Response | str


@blp.route("/signin", methods=["GET", "POST"])
def sign_in() -> Page:
    target = local_path(request.values.get("next"))
    if g.caller is not None and request.method == "GET":
        return redirect(target)
    if request.method == "GET":
        reset = request.args.get("done") == "reset"
        done = _("Your new password is set: sign in with it.") if reset else None
        return render_template("pages/signin.html", next=target, errors={}, staff_no="", done=done)
    session.require_form_csrf(request)
    staff_no = request.form.get("staff_no", "").strip()
    typed = request.form.get("password", "")
    errors = _sign_in_errors(staff_no, typed)
    if errors:
        return _sign_in_again(target, staff_no, errors, 422)
    try:
        token, expires_at, caller = signed_in(
            {"staff_no": staff_no, "password": typed}, session_api.begin
        )
    except TooManyRequests as exc:
        wait = (exc.headers or {}).get("Retry-After", "60")
        message = _("Too many failed sign-ins. Try again in %(seconds)s seconds.", seconds=wait)
        return _sign_in_again(target, staff_no, {"form": message}, 429)
    except Unauthorized:
        return _sign_in_again(target, staff_no, {"form": _("Wrong staff number or password.")}, 401)
    answer = redirect(target if not caller.must_change else "/password")
    session.set_cookie(answer, token, expires_at, is_secure())
    answer.delete_cookie(session.SIGNIN_COOKIE, path="/")
    return answer


def _sign_in_errors(staff_no: str, typed: str) -> dict[str, str]:
    errors = {}
    if not staff_no:
        errors["staff_no"] = _("Enter your staff number.")
    elif not accounts.STAFF_NO.fullmatch(staff_no):
        errors["staff_no"] = _("A staff number has 1-64 letters, digits, '.', '-' or '_'.")
    if not typed:
        errors["password"] = _("Enter your password.")
    elif len(typed) > passwords.MAX_LENGTH:
        errors["password"] = _("Wrong staff number or password.")
    return errors


def _sign_in_again(target: str, staff_no: str, errors: dict[str, str], status: int) -> Page:
    page = render_template("pages/signin.html", next=target, errors=errors, staff_no=staff_no)
    return page, status


@blp.post("/signout")
@for_person
def sign_out() -> Response:
    cookie = request.cookies.get(session.COOKIE, "")
    with current_db().write() as db:
        try:
            row = tokens.current(db, cookie, tokens.ACCESS)
        except tokens.TokenRefused:
            pass  # already ended by another request
        else:
            tokens.revoke_family(db, row.family)
    answer = redirect("/signin")
    session.clear_cookie(answer, is_secure())
    return answer


@blp.route("/password", methods=["GET", "POST"])
@for_person
def password() -> Page:
    """Change one's password; every sign-in of the account ends, and this browser is signed
    in again at once with the new one (the form proved who it is)."""
    caller = person()
    if request.method == "GET":
        return render_template("pages/password.html", errors={}, done=False)
    old, new = request.form.get("old_password", ""), request.form.get("new_password", "")
    errors = _password_errors(old, new, request.form.get("repeat_password", ""))
    if errors:
        return render_template("pages/password.html", errors=errors, done=False), 422
    with current_db().write() as db:
        account = accounts.find(db, caller.staff_no or "")
        try:
            accounts.change_password(db, account, old, new)
        except AccountProblem as exc:
            refused: AccountProblem | None = exc
        else:
            refused = None
        outcome = "ok" if refused is None else "refused"
        accounts.audit(db, caller.name, "password-change", outcome,
                       subject=account.staff_no, address=address())  # fmt: skip
        if refused is None:
            token, expires_at, _caller = session_api.begin(db, account)
    if refused is not None:
        field = "old_password" if refused.status == 403 else "new_password"
        message = (
            _("The current password is not right.")
            if refused.status == 403
            else _("The new password must differ from the current one.")
        )
        return render_template("pages/password.html", errors={field: message}, done=False), 422
    g.caller = _caller
    answer = current_app.make_response(render_template("pages/password.html", errors={}, done=True))
    session.set_cookie(answer, token, expires_at, is_secure())
    return answer


def _password_errors(old: str, new: str, repeat: str) -> dict[str, str]:
    errors = new_password_errors(new, repeat)
    if not old:
        errors["old_password"] = _("Enter your current password.")
    return errors


def new_password_errors(new: str, repeat: str) -> dict[str, str]:
    """What is wrong with a new password (``new_password``) and its repetition
    (``repeat_password``), by the rules the API states."""
    errors = {}
    if len(new) < passwords.MIN_LENGTH:
        errors["new_password"] = _(
            "A password has at least %(count)d characters.", count=passwords.MIN_LENGTH
        )
    elif len(new) > passwords.MAX_LENGTH:
        errors["new_password"] = _(
            "A password has at most %(count)d characters.", count=passwords.MAX_LENGTH
        )
    elif new != new.strip():
        errors["new_password"] = _("A password must not start or end with spaces.")
    elif new != repeat:
        errors["repeat_password"] = _("The two new passwords differ.")
    return errors


@blp.post("/language")
def language() -> Response:
    """Switch the pages' language: kept on the account when signed in, in a cookie always
    (so the sign-in page keeps it too)."""
    session.require_form_csrf(request)
    chosen = request.form.get("locale", "")
    target = local_path(request.form.get("next"))
    if chosen not in i18n.LOCALES:
        return redirect(target)
    if g.caller is not None:
        with current_db().write() as db:
            account: Account = accounts.find(db, g.caller.staff_no)
            account.locale = chosen
    answer = redirect(target)
    answer.set_cookie(LOCALE_COOKIE, chosen, max_age=LOCALE_COOKIE_SECONDS, path="/",
                      secure=is_secure(), httponly=True, samesite="Lax")  # fmt: skip
    return answer
