"""The sections about what the unit took part in: study sessions and quizzes of the period,
each counted for the unit and below it by the activities' own figures (``sessions/figures``,
``quizzes/figures``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.exports.tables import Cell, Chart, Scope, Table
from services.points.exports.words import _l
from services.points.quizzes import figures as quiz_figures
from services.points.quizzes.models import Quiz
from services.points.sessions import figures as session_figures
from services.points.sessions.models import StudySession, public_id


def sessions(session: Session, scope: Scope) -> Table:
    """Sessions that started in the period and expected someone of the unit; not cancelled."""
    say = scope.say
    studies = session.scalars(
        select(StudySession)
        .where(
            StudySession.starts_at >= scope.since,
            StudySession.starts_at < scope.until,
            StudySession.cancelled_at.is_(None),
        )
        .order_by(StudySession.starts_at, StudySession.id)
    )
    rows: list[list[Cell]] = []
    for study in list(studies):
        figures = session_figures.of_session(session, public_id(study.id))
        mine = next((u for u in figures["units"] if u["unit"] == scope.unit_code), None)
        if mine is None:
            continue
        attended = mine["on_time"] + mine["late"]
        rate = None if mine["rate"] is None else round(100 * mine["rate"], 1)
        rows.append([
            study.title, scope.local(study.starts_at), mine["expected"], attended, mine["late"],
            mine["excused"], mine["absent"], mine["pending"], rate,
        ])  # fmt: skip
    headings = [
        say(_l("Session")), say(_l("Starts")), say(_l("Expected to attend")), say(_l("Attended")),
        say(_l("Late")), say(_l("Excused")), say(_l("Absent")), say(_l("No record yet")),
        say(_l("Attendance rate (%)")),
    ]  # fmt: skip
    chart = Chart(say(_l("Attendance per session")), 0, (2, 3))
    return Table("sessions", say(_l("Study sessions")), headings, rows, chart)


def quizzes(session: Session, scope: Scope) -> Table:
    """Quizzes that opened in the period and invited or scored someone of the unit."""
    say = scope.say
    found = session.scalars(
        select(Quiz)
        .where(
            Quiz.opens_at >= scope.since,
            Quiz.opens_at < scope.until,
            Quiz.cancelled_at.is_(None),
        )
        .order_by(Quiz.opens_at, Quiz.id)
    )
    rows: list[list[Cell]] = []
    for quiz in list(found):
        overall = quiz_figures.for_quiz(session, quiz, scope.unit_code)["overall"]
        if not overall["invited"] and not overall["took_part"]:
            continue
        # The top decile is 90-100 %: those who mastered the quiz.
        mastered = overall["distribution"][-1]["count"]
        rows.append([
            quiz.title, scope.local(quiz.opens_at), overall["invited"], overall["took_part"],
            overall["average_score"], overall["average_percent"], overall["passed"], mastered,
        ])  # fmt: skip
    headings = [
        say(_l("Quiz")), say(_l("Opens")), say(_l("Invited")), say(_l("Participants")),
        say(_l("Average score")), say(_l("Average (%)")), say(_l("Passed")),
        say(_l("Mastered (≥ 90%)")),
    ]  # fmt: skip
    return Table("quizzes", say(_l("Quizzes")), headings, rows)
