"""A quiz: its window, maximum and pass mark, and whom it is for (units with their subtrees,
named members, and the members of custom groups as they were when named). Quiz events name a
quiz by ``code`` (``data.quiz``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.common.db import utcnow
from services.points.models import Base


class Quiz(Base):
    __tablename__ = "points_quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id senders already use (an e-learning platform's quiz id): events name it.
    code: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime]
    max_score: Mapped[float] = mapped_column(Float)
    pass_mark: Mapped[float] = mapped_column(Float)
    # A pop quiz is listed to staff only once it opens.
    pop: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))


class QuizUnit(Base):
    """A unit the quiz is for, with everything below it."""

    __tablename__ = "points_quiz_units"

    quiz_id: Mapped[int] = mapped_column(ForeignKey("points_quizzes.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("points_units.id"), primary_key=True)


class QuizMember(Base):
    """A member the quiz is for by name, wherever their unit is."""

    __tablename__ = "points_quiz_members"

    quiz_id: Mapped[int] = mapped_column(ForeignKey("points_quizzes.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("points_members.id"), primary_key=True)


class QuizGroupMember(Base):
    """A member the quiz is for because a custom group named them (services/points/groups.py:
    expanded when the quiz was kept or changed), kept apart from ``QuizMember`` so that one
    member may come both by name and through groups."""

    __tablename__ = "points_quiz_group_members"

    quiz_id: Mapped[int] = mapped_column(ForeignKey("points_quizzes.id"), primary_key=True)
    group_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("points_members.id"), primary_key=True, index=True
    )
