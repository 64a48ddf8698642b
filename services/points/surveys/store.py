"""Surveys and their rounds kept: made, opened for units, closed (early or on time), and the
next round of a repeating survey made when one closes.

A survey runs one round at a time: a new round opens only once the last has closed, so that
its rounds form one line in time and the trend reads straight across them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import zone
from services.common.errors import Conflict, NotFound, Unprocessable
from services.points import org
from services.points.api import unit_access
from services.points.surveys import rounds
from services.points.surveys.models import Survey, SurveyRound, SurveyRoundUnit
from services.points.surveys.questions import AGREE, SCALE_FAVOURABLE, agree_options

LONGEST = timedelta(days=366)
# A survey left alone for years makes at most this many rounds at once when next looked at.
CATCH_UP = 12


def invalid(field: str, message: str) -> Unprocessable:
    return Unprocessable(errors={"json": {field: [message]}})


def aware(value: datetime, zone_name: str, field: str) -> datetime:
    """A window time in UTC: a value without an offset is the organisation's local time."""
    if not 2000 <= value.year <= 2100:  # also keeps the conversion from overflowing
        raise invalid(field, "Must be in the years 2000 to 2100.")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(zone_name))
    return value.astimezone(UTC)


def _question(spec: dict[str, Any]) -> dict[str, Any]:
    """A question as kept: the agree scale labelled (in the caller's language unless given),
    favourable options always a list."""
    question = dict(spec)
    if question["kind"] == AGREE:
        question["options"] = question.get("options") or agree_options()
        if question.get("favourable") is None:
            question["favourable"] = list(SCALE_FAVOURABLE)
    question["favourable"] = question.get("favourable") or []
    return question


def create(session: Session, body: dict[str, Any], actor: str) -> Survey:
    if session.scalar(select(Survey.id).where(Survey.code == body["id"])) is not None:
        raise Conflict(f"Survey {body['id']!r} already exists.")
    survey = Survey(
        code=body["id"],
        title=body["title"],
        questions=[_question(q) for q in body["questions"]],
        created_by=actor,
    )
    session.add(survey)
    session.flush()
    return survey


def by_code(session: Session, code: str) -> Survey:
    survey = session.scalar(select(Survey).where(Survey.code == code))
    if survey is None:
        raise NotFound(f"No survey {code!r}.")
    return survey


def rounds_of(session: Session, survey: Survey) -> list[SurveyRound]:
    found = select(SurveyRound).where(SurveyRound.survey_id == survey.id)
    return list(session.scalars(found.order_by(SurveyRound.number)))


def round_of(session: Session, survey: Survey, number: int) -> SurveyRound:
    found = session.scalar(
        select(SurveyRound).where(SurveyRound.survey_id == survey.id, SurveyRound.number == number)
    )
    if found is None:
        raise NotFound(f"Survey {survey.code!r} has no round {number}.")
    return found


def units_of(session: Session, round_ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = session.execute(
        select(SurveyRoundUnit.round_id, SurveyRoundUnit.unit_id).where(
            SurveyRoundUnit.round_id.in_(list(round_ids))
        )
    )
    for round_id, unit_id in rows:
        found.setdefault(round_id, []).append(unit_id)
    return found


def _state(found: SurveyRound, now: datetime) -> str:
    return rounds.state(found.opens_at, found.closes_at, found.closed_at, now)


def open_round(
    session: Session,
    survey: Survey,
    body: dict[str, Any],
    actor: str,
    when: tuple[datetime, str],
) -> SurveyRound:
    """A new round for ``units`` (each the caller's to administer), once the last has closed
    (``when``: now, and the organisation's zone)."""
    now, zone_name = when
    codes = list(dict.fromkeys(body["units"]))
    for code in codes:
        unit_access.may_manage_unit(session, code, field="units")
    opens = aware(body["opens_at"], zone_name, "opens_at")
    closes = aware(body["closes_at"], zone_name, "closes_at")
    if closes <= opens:
        raise invalid("closes_at", "Must be after opens_at.")
    if closes - opens > LONGEST:
        raise invalid("closes_at", "A round lasts at most 366 days.")
    last = rounds_of(session, survey)[-1:]
    if last and _state(last[0], now) != "closed":
        raise Conflict(f"Round {last[0].number} is not closed yet; close it first.")
    ids = [org.unit_by_code(session, code, field="units").id for code in codes]
    return _add(session, survey, (opens, closes), body["repeat"], ids, actor)


def _add(
    session: Session,
    survey: Survey,
    window: tuple[datetime, datetime],
    repeat: str | None,
    unit_ids: list[int],
    actor: str,
) -> SurveyRound:
    number = len(rounds_of(session, survey)) + 1
    made = SurveyRound(
        survey_id=survey.id,
        number=number,
        opens_at=window[0],
        closes_at=window[1],
        repeat=repeat,
        created_by=actor,
    )
    session.add(made)
    session.flush()
    session.add_all(SurveyRoundUnit(round_id=made.id, unit_id=u) for u in unit_ids)
    session.flush()
    return made


def close(
    session: Session, survey: Survey, found: SurveyRound, now: datetime, zone_name: str
) -> None:
    """Close a round now (closing a closed round changes nothing), then roll on."""
    if _state(found, now) != "closed":
        found.closed_at = now
    roll(session, survey, now, zone_name)


def roll(session: Session, survey: Survey, now: datetime, zone_name: str) -> None:
    """Make the next round of a repeating survey whose last round has closed (and the ones
    after it, when several intervals went by unseen)."""
    for _ in range(CATCH_UP):
        last = rounds_of(session, survey)[-1:]
        if not last or last[0].repeat is None:
            return
        done, repeat = last[0], last[0].repeat
        if _state(done, now) != "closed":
            return
        window = (
            rounds.later(done.opens_at, repeat, zone_name),
            rounds.later(done.closes_at, repeat, zone_name),
        )
        units = units_of(session, [done.id]).get(done.id, [])
        _add(session, survey, window, repeat, units, done.created_by)


def may_manage(session: Session, found: SurveyRound) -> None:
    """403 unless the caller administers every unit of the round."""
    tree = org.unit_codes(session)
    for unit_id in units_of(session, [found.id]).get(found.id, []):
        unit_access.may_manage_unit(session, tree[unit_id][0])


def round_view(
    survey: Survey, found: SurveyRound, unit_codes: list[str], now: datetime
) -> dict[str, Any]:
    return {
        "survey": survey.code,
        "number": found.number,
        "opens_at": found.opens_at,
        "closes_at": found.closes_at,
        "closed_at": found.closed_at,
        "repeat": found.repeat,
        "state": _state(found, now),
        "units": sorted(unit_codes),
    }


def view(session: Session, survey: Survey, now: datetime) -> dict[str, Any]:
    made = rounds_of(session, survey)
    units, tree = units_of(session, [r.id for r in made]), org.unit_codes(session)
    return {
        "id": survey.code,
        "title": survey.title,
        "questions": survey.questions,
        "created_by": survey.created_by,
        "created_at": survey.created_at,
        "rounds": [
            round_view(survey, r, [tree[u][0] for u in units.get(r.id, [])], now) for r in made
        ],
    }
