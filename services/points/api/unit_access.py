"""How far a signed-in person reaches in the organisation: the units their roles cover.

The gateway lets people through by scope; what it cannot know is where a member or a unit sits
in the tree, so the checks that need the tree are made here, where the tree is. A person's
roles arrive in the signed X-Roles header (services/contracts.py, ``Reach``): an admin of a
region changes members, units and points inside that region only, and a reviewer or an admin
reads another member's ledger and profile only inside the units their role covers. Requests
without the header come from systems' keys, which keep to their scopes (the gateway checks
those), or from the platform itself.
"""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import Session

from services.common.errors import Forbidden
from services.contracts import ADMIN, REVIEWER, ROLES_HEADER, VIEWER_HEADER, Reach
from services.points import org
from services.points.models import Member


def reach() -> Reach | None:
    """The person's reach, or None for a system's key (no roles header)."""
    text = request.headers.get(ROLES_HEADER)
    return None if text is None else Reach.of(text)


def member_path(session: Session, member: Member) -> list[str]:
    return org.unit_path(org.unit_codes(session), member.unit_id)


def may_read_member(session: Session, staff_no: str) -> None:
    """403 when a person reads another member's own data outside the units of their reviewer
    or admin roles (the gateway has let through only people who hold one somewhere)."""
    person = reach()
    if person is None or request.headers.get(VIEWER_HEADER) == staff_no:
        return
    member = org.member_by_staff_no(session, staff_no)
    if not person.covers(member_path(session, member), REVIEWER, ADMIN):
        raise Forbidden(f"{staff_no} is outside the units your roles cover.")


def may_manage_unit(session: Session, code: str | None, field: str | None = None) -> None:
    """403 unless the person administers ``code`` (None: the top of the tree, which only an
    admin of the whole organisation does); an unknown unit named in a body is a 422."""
    person = reach()
    if person is None:
        return
    if code is None:
        if not person.covers((), ADMIN):
            raise Forbidden("Only an admin of the whole organisation works at its top level.")
        return
    unit = org.unit_by_code(session, code, field=field)
    if not person.covers(org.unit_path(org.unit_codes(session), unit.id), ADMIN):
        raise Forbidden(f"Unit {code!r} is outside the units you administer.")


def administers(path: list[str]) -> bool:
    """Whether the person administers the unit with this path (a system's key: everywhere);
    for checks of many rows at once, which report each row rather than refuse the request."""
    person = reach()
    return person is None or person.covers(path, ADMIN)


def may_manage_member(session: Session, member: Member) -> None:
    """403 unless the person administers the member's unit."""
    person = reach()
    if person is not None and not person.covers(member_path(session, member), ADMIN):
        raise Forbidden(f"{member.staff_no} is outside the units you administer.")
