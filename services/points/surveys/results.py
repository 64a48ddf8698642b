"""A round's results for a unit (with its subtree) or for all of the round's units, per unit
below, and the trend of each question's favourable share across the rounds.

Who may look: an organisation's admin (or an admin key) anywhere; a subtree's admin for a
unit they administer, which they name (the whole round is the top's). Below MIN_ANSWERS
answers a unit's figures are withheld: only the count is given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points import org
from services.points.api import unit_access
from services.points.models import Unit
from services.points.surveys import rounds, store, tally
from services.points.surveys.models import Survey, SurveyResponse, SurveyRound


def scope(session: Session, unit: str | None, found: list[SurveyRound]) -> set[int]:
    """The units counted (403 when the caller may not look): ``unit``'s subtree, else every
    unit of the rounds with their subtrees."""
    unit_access.may_manage_unit(session, unit)
    tree = org.unit_codes(session)
    if unit is not None:
        return org.below(tree, [org.unit_by_code(session, unit).id])
    held = store.units_of(session, [r.id for r in found])
    return org.below(tree, [u for ids in held.values() for u in ids])


def _answers(session: Session, round_id: int) -> list[tuple[int, dict[str, Any]]]:
    rows = session.execute(
        select(SurveyResponse.unit_id, SurveyResponse.answers).where(
            SurveyResponse.round_id == round_id
        )
    )
    return [(unit_id, answers) for unit_id, answers in rows]


def _within(given: Iterable[tuple[int, dict[str, Any]]], units: set[int]) -> list[dict[str, Any]]:
    return [answers for unit_id, answers in given if unit_id in units]


def for_round(
    session: Session, survey: Survey, found: SurveyRound, unit: str | None
) -> dict[str, Any]:
    counted = scope(session, unit, [found])
    given = _answers(session, found.id)
    mine = _within(given, counted)
    shown = len(mine) >= tally.MIN_ANSWERS
    return {
        "survey": survey.code,
        "number": found.number,
        "unit": unit,
        "answers": len(mine),
        "min_answers": tally.MIN_ANSWERS,
        "shown": shown,
        "questions": [tally.question(q, mine) for q in survey.questions] if shown else [],
        "units": _per_unit(session, survey, given, counted),
    }


def _per_unit(
    session: Session, survey: Survey, given: list[tuple[int, dict[str, Any]]], counted: set[int]
) -> list[dict[str, Any]]:
    """Each unit counted, over its own subtree, in the tree's order."""
    tree = org.unit_codes(session)
    named = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(counted)))
    names: dict[int, str] = {unit_id: name for unit_id, name in named}
    rows = []
    for unit_id in sorted(counted, key=lambda u: org.unit_path(tree, u)):
        answers = _within(given, org.below(tree, [unit_id]))
        shown = len(answers) >= tally.MIN_ANSWERS
        rows.append(
            {
                "unit": tree[unit_id][0],
                "name": names[unit_id],
                "answers": len(answers),
                "shown": shown,
                "favourable": tally.favourable(survey.questions, answers) if shown else {},
            }
        )
    return rows


def trend(session: Session, survey: Survey, unit: str | None, now: datetime) -> dict[str, Any]:
    """Each question's favourable share per round, oldest first (null: too few answers)."""
    made = store.rounds_of(session, survey)
    counted = scope(session, unit, made)
    per_round, shares = [], []
    for found in made:
        mine = _within(_answers(session, found.id), counted)
        shown = len(mine) >= tally.MIN_ANSWERS
        state = rounds.state(found.opens_at, found.closes_at, found.closed_at, now)
        per_round.append(
            {
                "number": found.number,
                "opens_at": found.opens_at,
                "closes_at": found.closes_at,
                "state": state,
                "answers": len(mine),
                "shown": shown,
            }  # fmt: skip
        )
        shares.append(tally.favourable(survey.questions, mine) if shown else {})
    questions = [
        {
            "key": q["key"],
            "text": q["text"],
            "favourable_percent": [share.get(q["key"]) for share in shares],
        }  # fmt: skip
        for q in survey.questions
        if q["favourable"]
    ]
    return {
        "survey": survey.code,
        "unit": unit,
        "min_answers": tally.MIN_ANSWERS,
        "rounds": per_round,
        "questions": questions,
    }
