"""A member's quizzes over time: best score per quiz, as a percentage, and the change from
their previous quiz (improvement), oldest first. One query, through the member's events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.points.models import Event, Member
from services.points.quizzes.figures import quiz_score
from services.points.quizzes.models import Quiz


def member_quizzes(session: Session, member: Member, limit: int) -> dict[str, Any]:
    """The member's last ``limit`` quizzes taken (cancelled ones left out)."""
    query = (
        select(Quiz, func.max(quiz_score()), func.count(Event.id))
        .join(Quiz, Quiz.code == Event.data["quiz"].as_string())
        .where(
            Event.member_id == member.id,
            Event.type == "quiz",
            Event.occurred_at >= Quiz.opens_at,
            Event.occurred_at < Quiz.closes_at,
            Quiz.cancelled_at.is_(None),
        )
        .group_by(Quiz.id)
        .order_by(Quiz.opens_at.desc(), Quiz.id.desc())
        .limit(limit + 1)  # one more: the change of the oldest shown needs its predecessor
    )
    rows = list(session.execute(query))[::-1]
    items: list[dict[str, Any]] = []
    previous: float | None = None
    for quiz, best, attempts in rows:
        percent = round(100 * float(best) / quiz.max_score, 1)
        items.append(
            {
                "quiz": quiz.code,
                "title": quiz.title,
                "opens_at": quiz.opens_at.isoformat(),
                "attempts": attempts,
                "best_score": float(best),
                "max_score": quiz.max_score,
                "percent": percent,
                "passed": float(best) >= quiz.pass_mark,
                "change": None if previous is None else round(percent - previous, 1),
            }
        )
        previous = percent
    return {"member": member.staff_no, "items": items[-limit:]}
