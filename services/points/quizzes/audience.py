"""Whom a quiz is for: its units with everything below them, and its named members.

The tree is small (org.unit_codes reads it whole), so subtrees are walked in Python and the
queries filter by the ids found."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.points.models import Member
from services.points.quizzes.models import QuizMember, QuizUnit

Tree = dict[int, tuple[str, int | None]]


def below(tree: Tree, roots: Iterable[int]) -> set[int]:
    """The ids of ``roots`` and every unit under them."""
    children: dict[int | None, list[int]] = {}
    for unit_id, (_, parent) in tree.items():
        children.setdefault(parent, []).append(unit_id)
    found: set[int] = set()
    todo = list(roots)
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


def of_quiz(session: Session, quiz_id: int) -> tuple[set[int], set[int]]:
    """(unit ids, member ids) a quiz names."""
    units = set(session.scalars(select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz_id)))
    members = set(
        session.scalars(select(QuizMember.member_id).where(QuizMember.quiz_id == quiz_id))
    )
    return units, members


def invited(session: Session, tree: Tree, quiz_id: int) -> dict[int, int]:
    """member id -> current unit id of every active member the quiz is for, as the tree is
    now: members who joined a unit since are invited, members who left it are not."""
    units, named = of_quiz(session, quiz_id)
    inside = below(tree, units)
    rows = session.execute(
        select(Member.id, Member.unit_id).where(
            Member.active.is_(True), or_(Member.unit_id.in_(inside), Member.id.in_(named))
        )
    )
    return {row.id: row.unit_id for row in rows}
