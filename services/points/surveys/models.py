"""A survey (its questions), its rounds (a window for some units), who answered a round and,
kept apart, what was answered.

Anonymity lives in the tables: ``SurveyRespondent`` says only that a member answered a round
(for answering once), with no time and no link to an answer; ``SurveyResponse`` holds the
answers with the unit they count for, under a random id, so that neither its key nor its
order tells who gave it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base


class Survey(Base):
    __tablename__ = "points_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # [{"key", "kind", "text", "options": [{"key", "text"}], "favourable": [option keys]}]
    questions: Mapped[list[Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyRound(Base):
    """One running of a survey: number 1, 2, ... per survey."""

    __tablename__ = "points_survey_rounds"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("points_surveys.id"), index=True)
    number: Mapped[int]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    # Set when an admin closed it before closes_at.
    closed_at: Mapped[datetime | None]
    # "month", "quarter", "half-year", "year": the next round follows when this one closes.
    repeat: Mapped[str | None] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(100))


class SurveyRoundUnit(Base):
    """A unit the round is for, with everything below it."""

    __tablename__ = "points_survey_round_units"

    round_id: Mapped[int] = mapped_column(ForeignKey("points_survey_rounds.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"), primary_key=True)


class SurveyRespondent(Base):
    """That a member answered a round; nothing else (no time, no answer)."""

    __tablename__ = "points_survey_respondents"

    round_id: Mapped[int] = mapped_column(ForeignKey("points_survey_rounds.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), primary_key=True)


class SurveyResponse(Base):
    """One set of answers to a round, counted for the unit its author was in."""

    __tablename__ = "points_survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, never ordered
    round_id: Mapped[int] = mapped_column(ForeignKey("points_survey_rounds.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"))
    # {question key: option key | [option keys] | 1-5 | text}
    answers: Mapped[dict[str, Any]]
