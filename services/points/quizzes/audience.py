"""Whom a quiz is for: its units with everything below them, and its named members.

The tree is small (org.unit_codes reads it whole), so subtrees are walked in Python and the
queries filter by the ids found."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Member
from services.points.quizzes.models import QuizMember, QuizUnit


def of_quiz(session: Session, quiz_id: int) -> tuple[set[int], set[int]]:
    """(unit ids, member ids) a quiz names."""
    units = set(session.scalars(select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz_id)))
    members = set(
        session.scalars(select(QuizMember.member_id).where(QuizMember.quiz_id == quiz_id))
    )
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
