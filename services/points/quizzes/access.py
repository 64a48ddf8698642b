"""Who sees and who manages a quiz.

Managing (create, change, cancel): an organisation admin or an admin key, or an admin of a
subtree for a quiz whose units and named members all lie inside it (the gateway lets subtree
admins through; the tree is checked here, as ``api/unit_access`` does for members).

Seeing: an announced quiz is listed to everyone who reads; a **pop quiz** only once it opens,
except to the admins who could see it coming: organisation admins, admin keys, and admins of a
subtree holding one of its units or named members. A pop quiz hidden from the caller is a 404,
as if it did not exist, so that asking for it by id tells nothing either."""

from __future__ import annotations

from datetime import datetime

from flask import request
from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.orm import Session

from services.common.errors import Forbidden
from services.contracts import ADMIN, SCOPES_HEADER
from services.points import org
from services.points.api.unit_access import reach
from services.points.models import Member
from services.points.quizzes import audience
from services.points.quizzes.models import Quiz, QuizUnit


def _admin_units(session: Session) -> set[int] | None:
    """Units the caller administers, with their subtrees; None: all of them."""
    person = reach()
    if person is None:
        return None if "admin" in request.headers.get(SCOPES_HEADER, "").split() else set()
    held = person.units.get(ADMIN, frozenset())
    if held is None:
        return None
    tree = org.unit_codes(session)
    roots = [unit_id for unit_id, (code, _) in tree.items() if code in held]
    return org.below(tree, roots)


def visible(session: Session, now: datetime) -> ColumnElement[bool]:
    """The condition on Quiz that keeps what the caller may see."""
    units = _admin_units(session)
    if units is None:
        return true()
    mine: ColumnElement[bool] = false()
    if units:
        members = audience.named()
        named = (
            select(members.c.quiz_id)
            .join(Member, Member.id == members.c.member_id)
            .where(Member.unit_id.in_(units))
        )
        mine = or_(
            exists().where(QuizUnit.quiz_id == Quiz.id, QuizUnit.unit_id.in_(units)),
            Quiz.id.in_(named),
        )
    return or_(Quiz.pop.is_(False), Quiz.opens_at <= now, mine)


def may_manage(session: Session, unit_ids: set[int], members: dict[str, int]) -> None:
    """403 unless the caller administers every unit of a quiz and every named member's unit
    (``members``: staff number -> unit id)."""
    if reach() is None:  # a key: the gateway let only admin keys write
        return
    units = _admin_units(session)
    if units is None:
        return
    tree = org.unit_codes(session)
    for unit_id in sorted(unit_ids - units):
        raise Forbidden(f"Unit {tree[unit_id][0]!r} is outside the units you administer.")
    for staff_no, unit_id in sorted(members.items()):
        if unit_id not in units:
            raise Forbidden(f"{staff_no} is outside the units you administer.")
