"""/api/v1/quizzes: quizzes kept, their figures; /api/v1/members/<staff_no>/quizzes."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.db import current_db, utcnow
from services.common.errors import NotFound
from services.common.web import settings
from services.points import groups, org
from services.points.api import unit_access
from services.points.api.context import sender
from services.points.quizzes import access, figures, history, store
from services.points.quizzes.models import Quiz
from services.points.quizzes.schemas import (
    MemberQuizzesQuerySchema,
    MemberQuizzesSchema,
    QuizCreateSchema,
    QuizFiguresQuerySchema,
    QuizFiguresSchema,
    QuizOutSchema,
    QuizPageSchema,
    QuizPatchSchema,
    QuizQuerySchema,
)

blp = Blueprint("quizzes", __name__, url_prefix="/api/v1", description="Quizzes")

HIDDEN = "a pop quiz not yet open, for everyone but the admins who could see it coming"


def _zone() -> str:
    return settings().org_timezone


def _seen(session: Session, code: str) -> Quiz:
    """The quiz, if the caller may see it; a hidden pop quiz is a 404 like an unknown one."""
    quiz = session.scalar(select(Quiz).where(Quiz.code == code, access.visible(session, utcnow())))
    if quiz is None:
        raise NotFound(f"No quiz {code!r}.")
    return quiz


def _view(session: Session, quiz: Quiz) -> dict[str, Any]:
    return store.views(session, [quiz], utcnow(), _zone())[0]


@blp.route("/quizzes")
class Quizzes(MethodView):
    @blp.arguments(QuizQuerySchema(), location="query")
    @blp.response(200, QuizPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Quizzes by opening time, newest first; pop quizzes only once open (to staff)."""
        now = utcnow()
        with current_db().read() as session:
            found = select(Quiz).where(access.visible(session, now), *_state(query["state"], now))
            total = session.scalar(select(func.count()).select_from(found.subquery())) or 0
            page = found.order_by(Quiz.opens_at.desc(), Quiz.id.desc())
            rows = list(session.scalars(page.limit(query["limit"]).offset(query["offset"])))
            return {"total": total, "items": store.views(session, rows, now, _zone())}

    @blp.arguments(QuizCreateSchema())
    @blp.response(201, QuizOutSchema)
    @blp.alt_response(403, description="A unit or member outside the units you administer.")
    @blp.alt_response(409, description="A quiz with that id exists.")
    @blp.alt_response(503, description="The leaderboard, which keeps the groups, cannot answer.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Keep a quiz: its id (what quiz events name in data.quiz), window, maximum, pass mark,
        the units (with their subtrees), custom groups (their members now) and members it is
        for, and whether it is a pop quiz."""
        fetched = groups.fetch(body["groups"], ("groups",))  # before any write
        with current_db().write() as session:
            named = store.targets(session, body, fetched)
            access.may_manage(session, named.unit_set(), named.member_units())
            quiz = store.create(session, body, named, sender(), _zone())
            return _view(session, quiz)


@blp.route("/quizzes/<quiz_id>")
class QuizById(MethodView):
    @blp.response(200, QuizOutSchema)
    @blp.alt_response(404, description=f"No such quiz, or {HIDDEN}.")
    def get(self, quiz_id: str) -> dict[str, Any]:
        """One quiz."""
        with current_db().read() as session:
            return _view(session, _seen(session, quiz_id))

    @blp.arguments(QuizPatchSchema(), required=False)
    @blp.response(200, QuizOutSchema)
    @blp.alt_response(403, description="The quiz or a new unit or member is outside your units.")
    @blp.alt_response(409, description="The quiz has opened or was cancelled.")
    @blp.alt_response(503, description="The leaderboard, which keeps the groups, cannot answer.")
    def patch(self, changes: dict[str, Any], quiz_id: str) -> dict[str, Any]:
        """Change a quiz before it opens."""
        fetched = groups.fetch(changes.get("groups", ()), ("groups",))  # before any write
        with current_db().write() as session:
            quiz = _managed(session, quiz_id)
            named = store.targets(session, changes, fetched)
            access.may_manage(session, named.unit_set(), named.member_units())
            return _view(session, store.update(session, quiz, changes, named, utcnow(), _zone()))


@blp.route("/quizzes/<quiz_id>/cancel")
class QuizCancel(MethodView):
    @blp.response(200, QuizOutSchema)
    @blp.alt_response(403, description="The quiz is outside the units you administer.")
    def post(self, quiz_id: str) -> dict[str, Any]:
        """Cancel a quiz: scores for it are refused from now on (cancelling twice is one)."""
        with current_db().write() as session:
            quiz = store.cancel(_managed(session, quiz_id), sender(), utcnow())
            return _view(session, quiz)


@blp.route("/quizzes/<quiz_id>/figures")
class QuizFigures(MethodView):
    @blp.arguments(QuizFiguresQuerySchema(), location="query")
    @blp.response(200, QuizFiguresSchema)
    @blp.alt_response(404, description=f"No such quiz or unit, or {HIDDEN}.")
    def get(self, query: dict[str, Any], quiz_id: str) -> dict[str, Any]:
        """Invited, took part, passed, average and the distribution of best scores (deciles of
        the maximum), for the whole quiz (or ``unit``'s subtree) and per unit. They name nobody."""
        with current_db().read() as session:
            return figures.for_quiz(session, _seen(session, quiz_id), query["unit"])


@blp.route("/members/<staff_no>/quizzes")
class MemberQuizzes(MethodView):
    @blp.arguments(MemberQuizzesQuerySchema(), location="query")
    @blp.response(200, MemberQuizzesSchema)
    @blp.alt_response(403, description="Another member, outside the units your roles cover.")
    def get(self, query: dict[str, Any], staff_no: str) -> dict[str, Any]:
        """A member's quizzes over time: best score, percentage, change from the quiz before."""
        with current_db().read() as session:
            unit_access.may_read_member(session, staff_no)
            member = org.member_by_staff_no(session, staff_no)
            return history.member_quizzes(session, member, query["limit"])


def _managed(session: Session, code: str) -> Quiz:
    quiz = _seen(session, code)
    named = store.current_targets(session, quiz)
    access.may_manage(session, named.unit_set(), named.member_units())
    return quiz


def _state(name: str | None, now: Any) -> list[Any]:
    live = Quiz.cancelled_at.is_(None)
    return {
        None: [],
        "cancelled": [Quiz.cancelled_at.is_not(None)],
        "upcoming": [live, Quiz.opens_at > now],
        "open": [live, Quiz.opens_at <= now, Quiz.closes_at > now],
        "closed": [live, Quiz.closes_at <= now],
    }[name]
