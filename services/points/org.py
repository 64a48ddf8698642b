"""The organisation: units in a tree and the members in them. Functions take a session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound, Unprocessable
from services.points.models import Member, Unit


def _invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(errors={"json": {field: [message]}})


def unit_by_code(session: Session, code: str, *, field: str | None = None) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        if field:  # a reference in a request body: the body is what is wrong
            raise _invalid(field, f"Unknown unit {code!r}.")
        raise NotFound(f"No unit {code!r}.")
    return unit


def member_by_staff_no(session: Session, staff_no: str) -> Member:
    member = session.scalar(select(Member).where(Member.staff_no == staff_no))
    if member is None:
        raise NotFound(f"No member {staff_no!r}.")
    return member


def unit_codes(session: Session) -> dict[int, tuple[str, int | None]]:
    """id -> (code, parent id) for every unit: the tree is small, read it whole."""
    rows = session.execute(select(Unit.id, Unit.code, Unit.parent_id))
    return {row.id: (row.code, row.parent_id) for row in rows}


def unit_path(tree: dict[int, tuple[str, int | None]], unit_id: int) -> list[str]:
    """Codes from the top of the tree down to ``unit_id``."""
    path: list[str] = []
    current: int | None = unit_id
    while current is not None and len(path) <= len(tree):
        code, parent = tree[current]
        path.append(code)
        current = parent
    return path[::-1]


def unit_view(unit: Unit, tree: dict[int, tuple[str, int | None]]) -> dict[str, Any]:
    parent = tree[unit.parent_id][0] if unit.parent_id else None
    return {"code": unit.code, "name": unit.name, "parent": parent}


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.code)))


def create_unit(session: Session, code: str, name: str, parent: str | None) -> Unit:
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise Conflict(f"Unit {code!r} already exists.")
    parent_id = unit_by_code(session, parent, field="parent").id if parent else None
    unit = Unit(code=code, name=name, parent_id=parent_id)
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, code: str, changes: dict[str, Any]) -> Unit:
    unit = unit_by_code(session, code)
    if "name" in changes:
        unit.name = changes["name"]
    if "parent" in changes:
        parent = changes["parent"]
        if parent is None:
            unit.parent_id = None
        else:
            new_parent = unit_by_code(session, parent, field="parent")
            tree = unit_codes(session)
            if code in unit_path(tree, new_parent.id):
                raise _invalid("parent", "A unit cannot sit under itself or its own sub-unit.")
            unit.parent_id = new_parent.id
    session.flush()
    return unit


def member_view(member: Member, tree: dict[int, tuple[str, int | None]]) -> dict[str, Any]:
    return {
        "staff_no": member.staff_no,
        "name": member.name,
        "unit": tree[member.unit_id][0],
        "active": member.active,
    }


def create_member(
    session: Session,
    staff_no: str,
    name: str,
    unit: str,
    active: bool,
    *,
    email: str | None = None,
    phone: str | None = None,
) -> Member:
    """Email and phone come from the roster import (the members API does not take them)."""
    if session.scalar(select(Member.id).where(Member.staff_no == staff_no)) is not None:
        raise Conflict(f"Member {staff_no!r} already exists.")
    member = Member(
        staff_no=staff_no,
        name=name,
        unit_id=unit_by_code(session, unit, field="unit").id,
        active=active,
        email=email,
        phone=phone,
    )
    session.add(member)
    session.flush()
    return member


def update_member(session: Session, staff_no: str, changes: dict[str, Any]) -> Member:
    """A member who moves unit keeps past entries where they were earned (entries record
    their unit); entries from now on count for the new unit."""
    member = member_by_staff_no(session, staff_no)
    if "unit" in changes:
        member.unit_id = unit_by_code(session, changes["unit"], field="unit").id
    if "name" in changes:
        member.name = changes["name"]
    if "active" in changes:
        member.active = changes["active"]
    for field in ("email", "phone"):
        if field in changes:
            setattr(member, field, changes[field])
    session.flush()
    return member


def list_members(
    session: Session, *, unit: str | None, active: bool | None, limit: int, offset: int
) -> tuple[int, list[Member]]:
    query = select(Member)
    if unit is not None:
        query = query.where(Member.unit_id == unit_by_code(session, unit).id)
    if active is not None:
        query = query.where(Member.active == active)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Member.staff_no).limit(limit).offset(offset))
    return total, list(rows)
