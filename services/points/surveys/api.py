"""/api/v1/surveys: surveys made (from the built-in template or not), their rounds opened and
closed, staff's answers, and the results and trend per unit."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.common.db import current_db, utcnow
from services.common.web import settings
from services.points.api.context import sender
from services.points.surveys import answering, results, store, template
from services.points.surveys.models import Survey
from services.points.surveys.results_schemas import (
    ResultsQuerySchema,
    ResultsSchema,
    SurveyTrendSchema,
)
from services.points.surveys.schemas import (
    AnsweredSchema,
    AnswersSchema,
    OpenRoundsSchema,
    RoundCreateSchema,
    RoundOutSchema,
    SurveyCreateSchema,
    SurveyListSchema,
    SurveyOutSchema,
    TemplateSchema,
)

blp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="Pulse surveys")
OUTSIDE = "A unit outside the units you administer."


def _zone() -> str:
    return settings().org_timezone


@blp.route("/surveys")
class Surveys(MethodView):
    @blp.response(200, SurveyListSchema)
    def get(self) -> dict[str, Any]:
        """Every survey with its rounds (a repeating survey's next round made when one closed)."""
        now = utcnow()
        with current_db().write() as session:
            found = list(session.scalars(select(Survey).order_by(Survey.code)))
            for survey in found:
                store.roll(session, survey, now, _zone())
            return {"items": [store.view(session, s, now) for s in found]}

    @blp.arguments(SurveyCreateSchema())
    @blp.response(201, SurveyOutSchema)
    @blp.alt_response(409, description="A survey with that id exists.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Make a survey: its id, title and questions (the template's, or one's own)."""
        with current_db().write() as session:
            return store.view(session, store.create(session, body, sender()), utcnow())


@blp.route("/surveys/template")
class Template(MethodView):
    @blp.response(200, TemplateSchema)
    def get(self) -> dict[str, Any]:
        """The built-in questionnaire in the caller's language, ready to post as a survey."""
        return template.template()


@blp.route("/surveys/open")
class OpenRounds(MethodView):
    @blp.response(200, OpenRoundsSchema)
    @blp.alt_response(403, description="A system's key: only members answer surveys.")
    def get(self) -> dict[str, Any]:
        """The rounds open now for the signed-in member's unit, and whether they answered."""
        now = utcnow()
        with current_db().write() as session:
            for survey in session.scalars(select(Survey)):
                store.roll(session, survey, now, _zone())
            member = answering.respondent(session)
            return {"items": answering.open_rounds(session, member, now)}


@blp.route("/surveys/<survey_id>")
class SurveyById(MethodView):
    @blp.response(200, SurveyOutSchema)
    @blp.alt_response(404, description="No such survey.")
    def get(self, survey_id: str) -> dict[str, Any]:
        """One survey with its rounds."""
        now = utcnow()
        with current_db().write() as session:
            survey = store.by_code(session, survey_id)
            store.roll(session, survey, now, _zone())
            return store.view(session, survey, now)


@blp.route("/surveys/<survey_id>/rounds")
class Rounds(MethodView):
    @blp.arguments(RoundCreateSchema())
    @blp.response(201, RoundOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    @blp.alt_response(404, description="No such survey.")
    @blp.alt_response(409, description="The survey's last round is not closed yet.")
    def post(self, body: dict[str, Any], survey_id: str) -> dict[str, Any]:
        """Open a round for units (with everything below them), with a window in local time
        and, optionally, a repeat: month, quarter, half-year or year."""
        with current_db().write() as session:
            survey = store.by_code(session, survey_id)
            now = utcnow()
            made = store.open_round(session, survey, body, sender(), (now, _zone()))
            return store.round_view(survey, made, list(set(body["units"])), now)


@blp.route("/surveys/<survey_id>/rounds/<int:number>/close")
class CloseRound(MethodView):
    @blp.response(200, RoundOutSchema)
    @blp.alt_response(403, description=OUTSIDE)
    @blp.alt_response(404, description="No such survey or round.")
    def post(self, survey_id: str, number: int) -> dict[str, Any]:
        """Close a round now (closing it twice is once); a repeating survey's next round follows."""
        now = utcnow()
        with current_db().write() as session:
            survey = store.by_code(session, survey_id)
            found = store.round_of(session, survey, number)
            store.may_manage(session, found)
            store.close(session, survey, found, now, _zone())
            units = [r["units"] for r in store.view(session, survey, now)["rounds"]]
            return store.round_view(survey, found, units[number - 1], now)


@blp.route("/surveys/<survey_id>/rounds/<int:number>/answers")
class Answers(MethodView):
    @blp.arguments(AnswersSchema())
    @blp.response(201, AnsweredSchema)
    @blp.alt_response(403, description="Not a member of the round's units.")
    @blp.alt_response(404, description="No such survey or round.")
    @blp.alt_response(409, description="Already answered, or the round is not open.")
    def post(self, body: dict[str, Any], survey_id: str, number: int) -> dict[str, Any]:
        """Answer a round, once: the answers are kept apart from who gave them."""
        with current_db().write() as session:
            survey = store.by_code(session, survey_id)
            found = store.round_of(session, survey, number)
            answering.answer(session, survey, found, body["answers"], utcnow())
            return {"survey": survey.code, "number": number, "answered": True}


@blp.route("/surveys/<survey_id>/rounds/<int:number>/results")
class Results(MethodView):
    @blp.arguments(ResultsQuerySchema(), location="query")
    @blp.response(200, ResultsSchema)
    @blp.alt_response(403, description=OUTSIDE)
    @blp.alt_response(404, description="No such survey, round or unit.")
    def get(self, query: dict[str, Any], survey_id: str, number: int) -> dict[str, Any]:
        """A round's results for ``unit`` (or all its units): the share per option and the
        favourable share per question, and per unit below; withheld under 5 answers."""
        with current_db().read() as session:
            survey = store.by_code(session, survey_id)
            found = store.round_of(session, survey, number)
            return results.for_round(session, survey, found, query["unit"])


@blp.route("/surveys/<survey_id>/trend")
class Trend(MethodView):
    @blp.arguments(ResultsQuerySchema(), location="query")
    @blp.response(200, SurveyTrendSchema)
    @blp.alt_response(403, description=OUTSIDE)
    @blp.alt_response(404, description="No such survey or unit.")
    def get(self, query: dict[str, Any], survey_id: str) -> dict[str, Any]:
        """Each question's favourable share across the rounds, for ``unit`` (or all units)."""
        with current_db().read() as session:
            survey = store.by_code(session, survey_id)
            return results.trend(session, survey, query["unit"], utcnow())
