"""``/reset``: a person sets a new password with the one-time code an admin gave them, as
``POST /api/v1/auth/reset`` does (the same function and audit, gateway/auth_api.py), then
signs in with it. Nobody is signed in here, so, as on the sign-in form, the CSRF token is
bound to the ``li_signin`` nonce (gateway/session.py); the endpoint is counted by address
with the sign-in class (gateway/rate_limits.py). A wrong, used or expired code is said next
to the code, with the API's 403."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from gateway import session
from gateway.accounts import AccountProblem
from gateway.auth_api import reset_with_code
from gateway.pages import blp
from gateway.pages.org_common import Page
from gateway.pages.signin import new_password_errors

LONGEST_CODE = 200  # as the API's RedeemSchema takes


@blp.route("/reset", methods=["GET", "POST"])
def reset() -> Page:
    if request.method == "GET":
        return render_template("pages/reset.html", errors={}, code="")
    session.require_form_csrf(request)
    code = request.form.get("code", "").strip()
    errors = new_password_errors(
        request.form.get("new_password", ""), request.form.get("repeat_password", "")
    )
    if not code:
        errors["code"] = _("Enter the code from your administrator.")
    elif len(code) > LONGEST_CODE:
        errors["code"] = _("This code is not valid, was used already, or expired.")
    if errors:
        return render_template("pages/reset.html", errors=errors, code=code), 422
    try:
        reset_with_code(code, request.form["new_password"])
    except AccountProblem as refused:
        said = {"code": _("This code is not valid, was used already, or expired.")}
        return render_template("pages/reset.html", errors=said, code=code), refused.status
    return redirect(url_for("pages.sign_in", done="reset"))
