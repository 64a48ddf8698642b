"""People's accounts: creating them, passwords, one-time reset codes, roles, the audit log.

Functions take an open session and plain values; the views (gateway/auth_api.py) and the CLI
(gateway/cli.py) hold the session's lifecycle. Every change to a password or a role, and every
sign-in attempt, writes an audit record in the same transaction as the change.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import passwords, tokens
from gateway.keys import hash_secret
from gateway.models import Account, AuditRecord, ResetCode, Role
from services.common.db import utcnow
from services.common.errors import ApiError
from services.contracts import ADMIN as ADMIN
from services.contracts import REVIEWER as REVIEWER
from services.contracts import STAFF as STAFF

ROLES = (STAFF, REVIEWER, ADMIN)  # "system" is what an API key is: never a person's role
# The points service's own bounds for staff numbers and unit codes.
STAFF_NO = re.compile(r"[A-Za-z0-9_.-]{1,64}")
UNIT = re.compile(r"[A-Za-z0-9_-]{1,64}")


class AccountProblem(ApiError):
    """The change cannot be made as asked; ``status`` is the HTTP answer it deserves (the
    views let it through: it is already the one error shape)."""

    def __init__(self, message: str, status: int = 422) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Held:
    role: str
    unit: str  # "" for the whole organisation


def audit(
    session: Session, actor: str, action: str, outcome: str, *, subject: str = "",
    address: str = "", detail: str = "",
) -> None:  # fmt: skip
    session.add(
        AuditRecord(
            actor=actor[:80],
            action=action,
            subject=subject[:64],
            address=address[:64],
            outcome=outcome,
            detail=detail[:200],
        )  # fmt: skip
    )


def find(session: Session, staff_no: str) -> Account:
    account = session.scalar(select(Account).where(Account.staff_no == staff_no))
    if account is None:
        raise AccountProblem(f"No account for staff number {staff_no!r}.", 404)
    return account


def create(session: Session, staff_no: str, password: str | None) -> tuple[Account, str | None]:
    """A new account with ``password`` or a one-time password (returned); either must be
    changed at first sign-in."""
    if not STAFF_NO.fullmatch(staff_no):
        raise AccountProblem(f"Invalid staff number {staff_no!r}.")
    if session.scalar(select(Account.id).where(Account.staff_no == staff_no)) is not None:
        raise AccountProblem(f"Staff number {staff_no!r} already has an account.", 409)
    shown = None if password else passwords.one_time_password()
    account = Account(staff_no=staff_no, password_hash=_hashed(password or shown or ""))
    session.add(account)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent create of the same staff number
        raise AccountProblem(f"Staff number {staff_no!r} already has an account.", 409) from exc
    return account, shown


def _hashed(password: str) -> str:
    try:
        return passwords.hash_password(password)
    except passwords.PasswordProblem as exc:
        raise AccountProblem(str(exc)) from exc


def set_password(session: Session, account: Account, password: str, *, must_change: bool) -> None:
    """A new password; every token of the account stops working."""
    account.password_hash = _hashed(password)
    account.must_change = must_change
    account.changed_at = utcnow()
    tokens.revoke_all(session, account.id)


def change_password(session: Session, account: Account, old: str, new: str) -> None:
    if not passwords.verify(account.password_hash, old):
        raise AccountProblem("The current password is not right.", 403)
    if old == new:
        raise AccountProblem("The new password must differ from the current one.")
    set_password(session, account, new, must_change=False)


def issue_reset_code(session: Session, account: Account, life: timedelta) -> tuple[str, ResetCode]:
    """A one-time code (128 random bits) that sets a new password once, within ``life``."""
    code = secrets.token_urlsafe(16)
    row = ResetCode(account_id=account.id, code_hash=hash_secret(code), expires_at=utcnow() + life)
    session.add(row)
    return code, row


def redeem_reset_code(session: Session, code: str, new: str) -> Account:
    row = session.scalar(select(ResetCode).where(ResetCode.code_hash == hash_secret(code)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        raise AccountProblem("The reset code is not valid, was used already, or expired.", 403)
    account = session.get(Account, row.account_id)
    if account is None or account.disabled:
        raise AccountProblem("The reset code is not valid, was used already, or expired.", 403)
    set_password(session, account, new, must_change=False)
    row.used_at = utcnow()
    return account


def roles_of(session: Session, account_id: int) -> tuple[Held, ...]:
    rows = session.execute(
        select(Role.role, Role.unit).where(Role.account_id == account_id).order_by(Role.id)
    )
    return tuple(Held(role, unit) for role, unit in rows)


def grant(session: Session, account: Account, role: str, unit: str) -> None:
    _check_role(role, unit)
    held = select(Role.id).where(Role.account_id == account.id, Role.role == role)
    if session.scalar(held.where(Role.unit == unit)) is None:
        session.add(Role(account_id=account.id, role=role, unit=unit))
        session.flush()


def revoke(session: Session, account: Account, role: str, unit: str) -> bool:
    """Take a role away; False when the account did not hold it."""
    _check_role(role, unit)
    gone = session.execute(
        delete(Role).where(Role.account_id == account.id, Role.role == role, Role.unit == unit)
    )
    return bool(getattr(gone, "rowcount", 0))


def _check_role(role: str, unit: str) -> None:
    if role not in ROLES:
        raise AccountProblem(f"Unknown role {role!r}; use {', '.join(ROLES)}.")
    if unit and not UNIT.fullmatch(unit):
        raise AccountProblem(f"Invalid unit code {unit!r}.")


def listed(session: Session) -> list[tuple[Account, tuple[Held, ...]]]:
    accounts = session.scalars(select(Account).order_by(Account.staff_no))
    return [(account, roles_of(session, account.id)) for account in accounts]


def recent_audit(
    session: Session,
    limit: int,
    subject: str | None,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
) -> list[AuditRecord]:
    """The records matching every filter given, newest first (the admins' pages page them)."""
    query = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit).offset(offset)
    if subject:
        query = query.where(AuditRecord.subject == subject)
    if actor:
        query = query.where(AuditRecord.actor == actor)
    if action:
        query = query.where(AuditRecord.action == action)
    if since is not None:
        query = query.where(AuditRecord.at >= since)
    if until is not None:
        query = query.where(AuditRecord.at < until)
    return list(session.scalars(query))
