"""Staff answering a round: the rounds open to a member, and one set of answers per member
and round. Who answered and what was answered go to separate tables (models.py) in one
transaction; a second answer, even a concurrent one, meets the respondent's primary key."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, Forbidden, Unprocessable
from services.contracts import VIEWER_HEADER
from services.points import org
from services.points.models import Member
from services.points.surveys import rounds, store
from services.points.surveys.models import (
    Survey,
    SurveyRespondent,
    SurveyResponse,
    SurveyRound,
)
from services.points.surveys.questions import check_answers


def respondent(session: Session) -> Member | None:
    """The signed-in member (None: an account that is no member, such as a platform admin's);
    a system's key (no viewer) never answers a survey."""
    staff_no = request.headers.get(VIEWER_HEADER)
    if not staff_no:
        raise Forbidden("Only a signed-in member answers a survey.")
    return session.scalar(select(Member).where(Member.staff_no == staff_no))


def _for_member(session: Session, found: SurveyRound, member: Member) -> bool:
    units = store.units_of(session, [found.id]).get(found.id, [])
    return member.unit_id in org.below(org.unit_codes(session), units)


def _answered(session: Session, found: SurveyRound, member: Member) -> bool:
    key = (found.id, member.id)
    return session.get(SurveyRespondent, key) is not None


def open_rounds(session: Session, member: Member | None, now: datetime) -> list[dict[str, Any]]:
    """The rounds open now whose units hold the member's, the soonest to close first."""
    if member is None:
        return []
    found = session.execute(
        select(SurveyRound, Survey)
        .join(Survey, Survey.id == SurveyRound.survey_id)
        .where(
            SurveyRound.opens_at <= now,
            SurveyRound.closes_at > now,
            SurveyRound.closed_at.is_(None),
        )
        .order_by(SurveyRound.closes_at, Survey.code)
    )
    tree, shown = org.unit_codes(session), []
    for row, survey in found:
        if not _for_member(session, row, member):
            continue
        units = [tree[u][0] for u in store.units_of(session, [row.id]).get(row.id, [])]
        shown.append(
            store.round_view(survey, row, units, now)
            | {
                "title": survey.title,
                "questions": survey.questions,
                "answered": _answered(session, row, member),
            }
        )
    return shown


def answer(
    session: Session, survey: Survey, found: SurveyRound, answers: dict[str, Any], now: datetime
) -> None:
    member = respondent(session)
    if member is None or not _for_member(session, found, member):
        raise Forbidden("This round is not for your unit.")
    if rounds.state(found.opens_at, found.closes_at, found.closed_at, now) != "open":
        raise Conflict(f"Round {found.number} of {survey.code!r} is not open.")
    if _answered(session, found, member):
        raise Conflict("You have already answered this round.")
    errors = check_answers(survey.questions, answers)
    if errors:
        raise Unprocessable(errors={"json": {"answers": {k: [v] for k, v in errors.items()}}})
    kept = {key: value for key, value in answers.items() if value != ""}
    session.add(SurveyRespondent(round_id=found.id, member_id=member.id))
    session.add(
        SurveyResponse(id=uuid4().hex, round_id=found.id, unit_id=member.unit_id, answers=kept)
    )
    session.flush()
