"""The sections of an export, in the order they appear: each a builder taking the database
session and the scope and giving one titled table. Another section is one more builder here;
the writers need nothing new."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from services.points.exports import activities, funnel, people, practice
from services.points.exports.tables import Scope, Table

Builder = Callable[[Session, Scope], Table]

SECTIONS: tuple[Builder, ...] = (
    people.summary,
    people.members,
    funnel.funnel,
    activities.sessions,
    activities.quizzes,
    practice.by_state,
    practice.exemplary,
)
