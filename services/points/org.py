"""The organisation: units in a tree and the members in them. Functions take a session."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound, Unprocessable
from services.points.models import Member, Unit

CHUNK = 500  # staff numbers per IN (...) query

# The tree as plain values: unit id -> (code, parent id), as ``unit_codes`` reads it.
Tree = dict[int, tuple[str, int | None]]


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


def below(tree: Tree, roots: Iterable[int]) -> set[int]:
    """The ids of ``roots`` (those in the tree) and of every unit under them."""
    children: dict[int | None, list[int]] = {}
    for unit_id, (_, parent) in tree.items():
        children.setdefault(parent, []).append(unit_id)
    found: set[int] = set()
    todo = [unit_id for unit_id in roots if unit_id in tree]
    while todo:
        unit_id = todo.pop()
        if unit_id not in found:
            found.add(unit_id)
            todo.extend(children.get(unit_id, ()))
    return found


def above(tree: Tree, unit_id: int) -> set[int]:
    """``unit_id`` and every unit over it, up to the top."""
    found: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in found:
        found.add(current)
        current = tree[current][1]
    return found


def unit_path(tree: Tree, unit_id: int) -> list[str]:
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
        "leader": member.leader,
    }


def create_member(session: Session, staff_no: str, name: str, unit: str, active: bool) -> Member:
    spec = {"staff_no": staff_no, "name": name, "unit": unit, "active": active}
    return create_members(session, [spec])[0]


def create_members(session: Session, specs: list[dict[str, Any]]) -> list[Member]:
    """Members from specs (staff_no, name, unit code, active, and email and phone, which only
    the roster import sets), checked and written together: one query per kind for a roster."""
    taken = sorted(by_staff_no(session, [spec["staff_no"] for spec in specs]))
    if taken:
        raise Conflict(f"Member {taken[0]!r} already exists.")
    units = unit_ids(session, {spec["unit"] for spec in specs})
    members = [
        Member(
            staff_no=spec["staff_no"],
            name=spec["name"],
            unit_id=units[spec["unit"]],
            active=spec["active"],
            email=spec.get("email"),
            phone=spec.get("phone"),
        )
        for spec in specs
    ]
    session.add_all(members)
    session.flush()
    return members


def update_member(session: Session, staff_no: str, changes: dict[str, Any]) -> Member:
    (member,) = update_members(session, {staff_no: changes})
    return member


def update_members(session: Session, changes: dict[str, dict[str, Any]]) -> list[Member]:
    """Change members by staff number (name, unit code, active, email, phone). A member who
    moves unit keeps past entries where they were earned (entries record their unit); entries
    from now on count for the new unit."""
    members = by_staff_no(session, list(changes))
    missing = sorted(set(changes) - set(members))
    if missing:
        raise NotFound(f"No member {missing[0]!r}.")
    units = unit_ids(session, {c["unit"] for c in changes.values() if "unit" in c})
    for staff_no, change in changes.items():
        member = members[staff_no]
        if "unit" in change:
            member.unit_id = units[change["unit"]]
        for field in ("name", "active", "email", "phone"):
            if field in change:
                setattr(member, field, change[field])
    session.flush()
    return [members[staff_no] for staff_no in changes]


def by_staff_no(session: Session, staff_nos: list[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for start in range(0, len(staff_nos), CHUNK):
        chunk = staff_nos[start : start + CHUNK]
        rows = session.scalars(select(Member).where(Member.staff_no.in_(chunk)))
        found.update((member.staff_no, member) for member in rows)
    return found


def unit_ids(session: Session, codes: set[str]) -> dict[str, int]:
    """Unit code -> id; an unknown code named in a body is a 422 on "unit"."""
    rows = session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes)))
    found = {code: unit_id for code, unit_id in rows}
    unknown = sorted(codes - set(found))
    if unknown:
        raise _invalid("unit", f"Unknown unit {unknown[0]!r}.")
    return found


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
