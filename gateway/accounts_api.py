"""``/api/v1/auth/accounts/...``: an admin of the whole organisation manages people's
accounts: creates them (the staff number must be a member the points service knows), sets a
first password or issues a one-time reset code, grants and takes away roles, and reads the
gateway's audit log. An admin limited to a subtree cannot: roles are the keys to every unit.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import current_app, g
from flask_smorest import Blueprint

from gateway import accounts
from gateway.accounts import AccountProblem, Held
from gateway.admins_only import guard
from gateway.auth_api import address, door, own_route
from gateway.auth_schemas import (
    AccountListSchema,
    AccountSchema,
    AuditListSchema,
    AuditQuerySchema,
    CreatedAccountSchema,
    FirstPasswordSchema,
    NewAccountSchema,
    ResetCodeSchema,
    RoleSchema,
    UnitQuerySchema,
)
from gateway.models import Account
from gateway.transport import Upstreams
from services.common.db import current_db
from services.common.errors import BadGateway
from services.common.web import REQUEST_ID
from services.contracts import SCOPES_HEADER, SENDER_HEADER

blp = Blueprint(
    "accounts", __name__, url_prefix="/api/v1/auth", description="Accounts and roles (admins)"
)
admin_only = guard(blp, "accounts and roles")


def as_json(account: Account, held: tuple[Held, ...]) -> dict[str, Any]:
    return {
        "staff_no": account.staff_no,
        "roles": [{"role": h.role, "unit": h.unit} for h in held],
        "must_change_password": account.must_change,
        "disabled": account.disabled,
        "created_at": account.created_at,
        "changed_at": account.changed_at,
    }


def act(action: str, subject: str, outcome: str = "ok", detail: str = "") -> None:
    with current_db().write() as session:
        accounts.audit(session, g.caller.actor, action, outcome, subject=subject,
                       address=address(), detail=detail)  # fmt: skip


@own_route(blp, "/accounts", "GET")
@blp.response(200, AccountListSchema)
@admin_only
def list_accounts() -> dict[str, Any]:
    """Every account with its roles"""
    with current_db().read() as session:
        return {"items": [as_json(a, held) for a, held in accounts.listed(session)]}


@own_route(blp, "/accounts", "POST")
@blp.arguments(NewAccountSchema)
@blp.response(201, CreatedAccountSchema)
@blp.alt_response(409, response="DEFAULT_ERROR", description="The account exists")
@admin_only
def create_account(body: dict[str, Any]) -> dict[str, Any]:
    """Create a member's account (role staff) with a first password, or a one-time one"""
    require_member(body["staff_no"])
    with current_db().write() as session:
        account, shown = accounts.create(session, body["staff_no"], body["password"])
        accounts.grant(session, account, accounts.STAFF, "")
        created = {**as_json(account, accounts.roles_of(session, account.id))}
    act("account-create", body["staff_no"])
    return {**created, "one_time_password": shown}


@own_route(blp, "/accounts/<staff_no>/password", "PUT")
@blp.arguments(FirstPasswordSchema)
@blp.response(204)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such account")
@admin_only
def set_first_password(body: dict[str, str], staff_no: str) -> None:
    """Set a first password; the person must change it at sign-in; their tokens stop working"""
    with current_db().write() as session:
        account = accounts.find(session, staff_no)
        accounts.set_password(session, account, body["password"], must_change=True)
    act("password-set", staff_no)


@own_route(blp, "/accounts/<staff_no>/reset-code", "POST")
@blp.response(201, ResetCodeSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such account")
@admin_only
def issue_reset_code(staff_no: str) -> dict[str, Any]:
    """A one-time code for the person to set a new password with (POST /api/v1/auth/reset)"""
    life = door().reset_code_life
    with current_db().write() as session:
        code, row = accounts.issue_reset_code(session, accounts.find(session, staff_no), life)
        answer = {"code": code, "expires_at": row.expires_at}
    act("reset-code", staff_no)
    return answer


@own_route(blp, "/accounts/<staff_no>/roles", "POST")
@blp.arguments(RoleSchema)
@blp.response(200, AccountSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such account")
@admin_only
def grant_role(body: dict[str, str], staff_no: str) -> dict[str, Any]:
    """Grant a role, optionally limited to a unit's subtree"""
    return change_role(staff_no, body["role"], body["unit"], grant=True)


# The role is one of the known ones in the path itself, so the document says so (an enum).
@own_route(
    blp, "/accounts/<staff_no>/roles/<any(" + ", ".join(accounts.ROLES) + "):role>", "DELETE"
)
@blp.arguments(UnitQuerySchema, location="query")
@blp.response(200, AccountSchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No such account or role")
@admin_only
def revoke_role(query: dict[str, str], staff_no: str, role: str) -> dict[str, Any]:
    """Take a role away (with ?unit= for one limited to a subtree)"""
    return change_role(staff_no, role, query["unit"], grant=False)


def change_role(staff_no: str, role: str, unit: str, *, grant: bool) -> dict[str, Any]:
    with current_db().write() as session:
        account = accounts.find(session, staff_no)
        if grant:
            accounts.grant(session, account, role, unit)
        elif not accounts.revoke(session, account, role, unit):
            raise AccountProblem(f"{staff_no} does not hold {role!r} there.", 404)
        answer = as_json(account, accounts.roles_of(session, account.id))
    act("role-grant" if grant else "role-revoke", staff_no, detail=f"{role} {unit}".strip())
    return answer


@own_route(blp, "/audit", "GET")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditListSchema)
@admin_only
def audit_log(query: dict[str, Any]) -> dict[str, Any]:
    """The gateway's audit log, newest first: sign-ins, failures, passwords, roles"""
    with current_db().read() as session:
        rows = accounts.recent_audit(session, query["limit"], query["subject"])
        return {"items": [{c: getattr(r, c) for c in _AUDIT} for r in rows]}


_AUDIT = ("at", "actor", "action", "subject", "address", "outcome", "detail")


def require_member(staff_no: str) -> None:
    """The points service owns members: an account is only for a staff number it knows."""
    hop: Upstreams = current_app.extensions["gateway.upstreams"]
    headers = {SENDER_HEADER: "gateway", SCOPES_HEADER: "read", REQUEST_ID: g.request_id}
    answer = hop.send("points", "GET", f"/api/v1/members/{quote(staff_no)}", headers=headers)
    if answer.status == 404:
        raise AccountProblem(f"No member has staff number {staff_no!r}.")
    if answer.status != 200:
        raise BadGateway(f"The points service answered {answer.status} about {staff_no!r}.")
