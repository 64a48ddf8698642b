"""A unit's quizzes one after another: participation, the average and the change from the
unit's previous quiz. Each quiz's own figures (services/points/quizzes/figures.py) are reused
as they are, for the quizzes that opened in the period and invited someone in the unit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.analytics.rates import share
from services.points.quizzes import figures
from services.points.quizzes.models import Quiz


def series(
    session: Session, unit_id: int | None, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    code = None if unit_id is None else org.unit_codes(session)[unit_id][0]
    quizzes = session.scalars(
        select(Quiz)
        .where(Quiz.opens_at >= since, Quiz.opens_at < until, Quiz.cancelled_at.is_(None))
        .order_by(Quiz.opens_at, Quiz.id)
    )
    found: list[dict[str, Any]] = []
    for quiz in quizzes:
        overall = figures.for_quiz(session, quiz, code)["overall"]
        if not overall["invited"]:
            continue
        row = {
            "quiz": quiz.code,
            "title": quiz.title,
            "opens_at": quiz.opens_at,
            "invited": overall["invited"],
            "took_part": overall["took_part"],
            "participation": share(overall["took_part"], overall["invited"]),
            "average_percent": overall["average_percent"],
        }
        before = found[-1] if found else None
        row["participation_change"] = _change(row, before, "participation", 4)
        row["average_change"] = _change(row, before, "average_percent", 1)
        found.append(row)
    return found


def _change(row: dict[str, Any], before: dict[str, Any] | None, key: str, places: int) -> Any:
    if before is None or row[key] is None or before[key] is None:
        return None
    return round(row[key] - before[key], places)
