"""Quiz figures, computed per request from the quiz's tables and the events.

A member's score in a quiz is their **best attempt** inside its window: the rules' attempt
policy (first, best, pass) decides what a repeat *earns*, and may differ between rule versions;
what a member showed they know is their best. Passed: best >= the pass mark. Percentages are of
the quiz's maximum (every counted event carries it: intake checks it).

Queries are bounded: the events are read through the ``occurred_at`` index over the quiz's
window (at most a year) and grouped by member in SQL; invited members through the unit index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Event, Member
from services.points.quizzes import audience
from services.points.quizzes.models import Quiz, QuizUnit

BUCKETS = 10  # deciles of score / max: 0-10, 10-20, ..., 90-100 (100 counts in the last)


def quiz_score() -> Any:
    return Event.data["score"].as_float()


def of_this_quiz(quiz: Quiz) -> list[Any]:
    """Conditions on Event for the attempts that count for ``quiz``."""
    return [
        Event.type == "quiz",
        Event.occurred_at >= quiz.opens_at,
        Event.occurred_at < quiz.closes_at,
        Event.data["quiz"].as_string() == quiz.code,
    ]


def best_scores(session: Session, quiz: Quiz) -> dict[int, float]:
    query = (
        select(Event.member_id, func.max(quiz_score()))
        .where(*of_this_quiz(quiz))
        .group_by(Event.member_id)
    )
    return {member_id: float(best) for member_id, best in session.execute(query)}


def for_quiz(session: Session, quiz: Quiz, unit: str | None) -> dict[str, Any]:
    """Overall (the whole quiz, or ``unit``'s subtree) and one row per unit: the quiz's own
    units, or ``unit``'s direct sub-units."""
    tree = org.unit_codes(session)
    invited = audience.invited(session, tree, quiz.id)
    best = best_scores(session, quiz)
    units_now = dict(invited)
    missing = set(best) - set(invited)  # took part, then moved out or were removed since
    if missing:
        rows = session.execute(select(Member.id, Member.unit_id).where(Member.id.in_(missing)))
        units_now |= {row.id: row.unit_id for row in rows}
    above = {u: org.above(tree, u) for u in set(units_now.values())}

    def row(code: str | None, unit_id: int | None) -> dict[str, Any]:
        people = [m for m, u in units_now.items() if unit_id is None or unit_id in above[u]]
        return _row(code, people, invited, best, quiz)

    if unit is None:
        shown = list(session.scalars(select(QuizUnit.unit_id).where(QuizUnit.quiz_id == quiz.id)))
        overall = row(None, None)
    else:
        scope = org.unit_by_code(session, unit)
        shown = [uid for uid, (_, parent) in tree.items() if parent == scope.id]
        overall = row(scope.code, scope.id)
    units = sorted((row(tree[uid][0], uid) for uid in shown), key=lambda r: r["unit"])
    return {
        "quiz": quiz.code,
        "max_score": quiz.max_score,
        "pass_mark": quiz.pass_mark,
        "overall": overall,
        "units": units,
    }


def _row(
    code: str | None,
    people: Iterable[int],
    invited: dict[int, int],
    best: dict[int, float],
    quiz: Quiz,
) -> dict[str, Any]:
    people = list(people)
    scores = [best[m] for m in people if m in best]
    percents = [100 * s / quiz.max_score for s in scores]
    counts = [0] * BUCKETS
    for percent in percents:
        counts[min(int(percent // (100 / BUCKETS)), BUCKETS - 1)] += 1
    step = 100 // BUCKETS
    return {
        "unit": code,
        "invited": sum(1 for m in people if m in invited),
        "took_part": len(scores),
        "passed": sum(1 for s in scores if s >= quiz.pass_mark),
        "average_score": round(sum(scores) / len(scores), 2) if scores else None,
        "average_percent": round(sum(percents) / len(percents), 1) if percents else None,
        "distribution": [
            {"from_percent": i * step, "to_percent": (i + 1) * step, "count": count}
            for i, count in enumerate(counts)
        ],
    }
