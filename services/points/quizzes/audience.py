"""Whom a quiz is for: its units with everything below them, its named members, and the
members its custom groups brought when they were named (services/points/groups.py).

The tree is small (org.unit_codes reads it whole), so subtrees are walked in Python and the
queries filter by the ids found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Member
from services.points.quizzes.models import QuizGroupMember, QuizMember, QuizUnit


def named(quiz_id: int | None = None) -> Any:
    """(quiz_id, member_id) of the members quizzes name, by name or through a group; of one
    quiz when ``quiz_id`` is given."""
    by_name: Select[Any] = select(QuizMember.quiz_id, QuizMember.member_id)
    by_group: Select[Any] = select(QuizGroupMember.quiz_id, QuizGroupMember.member_id)
    if quiz_id is not None:
        by_name = by_name.where(QuizMember.quiz_id == quiz_id)
        by_group = by_group.where(QuizGroupMember.quiz_id == quiz_id)
    return union(by_name, by_group).subquery()


def of_quiz(session: Session, quiz_id: int) -> tuple[set[int], set[int]]:
    """(unit ids, member ids) a quiz names."""
    units = set(session.scalars(select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz_id)))
    members = set(session.scalars(select(named(quiz_id).c.member_id)))
    return units, members


def invited(session: Session, tree: org.Tree, quiz_id: int) -> dict[int, int]:
    """member id -> current unit id of every active member the quiz is for, as the tree is
    now: members who joined a unit since are invited, members who left it are not."""
    units, named = of_quiz(session, quiz_id)
    inside = org.below(tree, units)
    rows = session.execute(
        select(Member.id, Member.unit_id).where(
            Member.active.is_(True), or_(Member.unit_id.in_(inside), Member.id.in_(named))
        )
    )
    return {row.id: row.unit_id for row in rows}
