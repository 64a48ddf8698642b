"""``/admin/accounts``: an admin of the whole organisation manages people's accounts and roles.

The same functions, checks and audit as ``/api/v1/auth/accounts`` (gateway/accounts_api.py):
an account is only for a member the points service knows and starts with a one-time password;
a one-time reset code lets a person set a new one. Either is shown once, on the answer to the
form that made it (never in a URL, never cached). Roles are granted and taken away here,
each optionally limited to a unit and the units below it.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway import accounts, accounts_api
from gateway.accounts import AccountProblem
from gateway.auth_api import door
from gateway.pages import blp
from gateway.pages.admins import org_admin, shown_once
from gateway.pages.visitor import for_person
from services.common.db import current_db

Page = str | tuple[str, int] | Response

DONE = {
    "granted": _l("The role is granted."),
    "revoked": _l("The role is taken away."),
}
ROLE_NAMES = {
    accounts.STAFF: _l("Staff"),
    accounts.REVIEWER: _l("Reviewer"),
    accounts.ADMIN: _l("Admin"),
}


def _listing(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    with current_db().read() as session:
        rows = [accounts_api.as_json(a, held) for a, held in accounts.listed(session)]
    done = DONE.get(request.args.get("done", ""))
    html = render_template(
        "pages/access/accounts.html", accounts=rows, errors=errors or {}, form=request.form,
        roles=ROLE_NAMES, done=done and str(done),
    )  # fmt: skip
    return html, status


@blp.get("/admin/accounts")
@for_person
def access_accounts() -> Page:
    org_admin()
    return _listing()


@blp.post("/admin/accounts")
@for_person
def access_account_create() -> Page:
    """An account for a member, role staff, with a one-time password shown once."""
    org_admin()
    staff_no = request.form.get("staff_no", "").strip()
    wrong = _staff_no_error(staff_no)
    if wrong:
        return _listing({"staff_no": wrong}, 422)
    try:
        accounts_api.require_member(staff_no)
        with current_db().write() as session:
            account, shown = accounts.create(session, staff_no, None)
            accounts.grant(session, account, accounts.STAFF, "")
    except AccountProblem as problem:
        if problem.status == 409:
            return _listing({"staff_no": _("This staff number has an account already.")}, 409)
        return _listing({"staff_no": _("No member has this staff number.")}, problem.status)
    accounts_api.act("account-create", staff_no)
    return shown_once("pages/access/account_secret.html", staff_no=staff_no, password=shown)


@blp.post("/admin/accounts/<staff_no>/reset-code")
@for_person
def access_account_reset(staff_no: str) -> Page:
    """A one-time code the person sets a new password with, shown once."""
    org_admin()
    with current_db().write() as session:
        account = accounts.find(session, staff_no)
        code, row = accounts.issue_reset_code(session, account, door().reset_code_life)
        expires_at = row.expires_at
    accounts_api.act("reset-code", staff_no)
    return shown_once("pages/access/account_secret.html", staff_no=staff_no, code=code,
                      expires_at=expires_at)  # fmt: skip


@blp.post("/admin/accounts/roles")
@for_person
def access_role_grant() -> Page:
    org_admin()
    staff_no, role, unit = _role_form()
    errors = _role_errors(staff_no, role, unit)
    if errors:
        return _listing(errors, 422)
    try:
        accounts_api.change_role(staff_no, role, unit, grant=True)
    except AccountProblem as problem:
        return _listing({"grant_staff_no": _("No account has this staff number.")}, problem.status)
    return redirect(url_for("pages.access_accounts", done="granted"))


@blp.post("/admin/accounts/<staff_no>/roles/revoke")
@for_person
def access_role_revoke(staff_no: str) -> Page:
    org_admin()
    role, unit = _role_form()[1:]
    if _role_errors(staff_no, role, unit):
        return _listing({"form": _("That role cannot be taken away: reload the page.")}, 422)
    try:
        accounts_api.change_role(staff_no, role, unit, grant=False)
    except AccountProblem as problem:
        gone = _("That role is no longer held: reload the page.")
        return _listing({"form": gone}, problem.status)
    return redirect(url_for("pages.access_accounts", done="revoked"))


def _role_form() -> tuple[str, str, str]:
    form = request.form
    return (form.get("grant_staff_no", "").strip(), form.get("role", ""),
            form.get("unit", "").strip())  # fmt: skip


def _staff_no_error(staff_no: str) -> str | None:
    if not staff_no:
        return str(_("Enter a staff number."))
    if not accounts.STAFF_NO.fullmatch(staff_no):
        return str(_("A staff number has 1-64 letters, digits, '.', '-' or '_'."))
    return None


def _role_errors(staff_no: str, role: str, unit: str) -> dict[str, str]:
    errors = {}
    wrong = _staff_no_error(staff_no)
    if wrong:
        errors["grant_staff_no"] = wrong
    if role not in accounts.ROLES:
        errors["role"] = _("Choose a role.")
    if unit and not accounts.UNIT.fullmatch(unit):
        errors["unit"] = _("A unit code has 1-64 letters, digits, '-' or '_'.")
    return errors
