"""What happened in a period, counted in SQL per (unit, leader or not): a fixed number of
grouped queries on indexed columns, plus one per study session still open. Nothing here reads
rows one by one; callers add the counts up the unit tree.

Everyone is counted in the unit they are in now, and only active members count: the figures
describe a unit's people as they are (docs/analytics.md).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func, select, union
from sqlalchemy.orm import Session

from services.points import org
from services.points.analytics.periods import Period, instants
from services.points.models import Event, LedgerEntry, Member
from services.points.quizzes.figures import quiz_score
from services.points.quizzes.models import Quiz
from services.points.reports.models import Report
from services.points.reports.states import APPROVED
from services.points.sessions import expected
from services.points.sessions.models import Attendance, StudySession

PRESENT = ("on_time", "late")
# (unit id, leader) -> figure name -> count
Tally = dict[tuple[int, bool], Counter[str]]
GROUP = (Member.unit_id, Member.leader)
ACTIVE = Member.active.is_(True)


def tally(session: Session, period: Period, zone_name: str, now: datetime) -> Tally:
    since, until = instants(period, zone_name)
    found: Tally = {}

    def add(rows: Any, *names: str) -> None:
        for unit_id, leader, *numbers in rows:
            counter = found.setdefault((unit_id, bool(leader)), Counter())
            for name, number in zip(names, numbers, strict=True):
                counter[name] += int(number or 0)

    add(session.execute(select(*GROUP, func.count()).where(ACTIVE).group_by(*GROUP)), "members")
    add(_points(session, period), "points")
    add(_active(session, period, since, until), "active")
    add(_quizzes(session, since, until), "took_quiz", "mastered")
    add(_reports(session, since, until), "reported", "approved", "exemplary")
    for rows in _attendance(session, since, min(until, now)):
        add(rows, "expected", "attended")
    return found


def _points(session: Session, period: Period) -> Any:
    return session.execute(
        select(*GROUP, func.sum(LedgerEntry.points))
        .join(Member, Member.id == LedgerEntry.member_id)
        .where(LedgerEntry.local_date.between(*period), ACTIVE)
        .group_by(*GROUP)
    )


def _held(since: datetime, until: datetime) -> Any:
    """The study sessions held in the period: started by its end (or by now), not cancelled."""
    return (
        StudySession.starts_at >= since,
        StudySession.starts_at < until,
        StudySession.cancelled_at.is_(None),
    )


def _attendance(session: Session, since: datetime, until: datetime) -> list[Any]:
    """Expected and present, per group: closed sessions from the record closing fixed (one
    query), open ones from who they expect now (one query each)."""
    present = func.sum(case((Attendance.status.in_(PRESENT), 1), else_=0))
    closed = (
        select(*GROUP, func.count(), present)
        .select_from(Attendance)
        .join(Member, Member.id == Attendance.member_id)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(*_held(since, until), StudySession.closed_at.is_not(None), ACTIVE)
        .where(Attendance.expected.is_(True))
        .group_by(*GROUP)
    )
    found = [session.execute(closed)]
    open_ones = session.scalars(
        select(StudySession).where(*_held(since, until), StudySession.closed_at.is_(None))
    ).all()
    tree = org.unit_codes(session) if open_ones else {}
    for study in open_ones:
        who = expected.query(session, study, tree).subquery()
        at_it = (Attendance.session_id == study.id) & (Attendance.member_id == who.c.id)
        found.append(
            session.execute(
                select(*GROUP, func.count(), present)
                .select_from(who)
                .join(Member, Member.id == who.c.id)
                .outerjoin(Attendance, at_it)
                .group_by(*GROUP)
            )
        )
    return found


def _attempts(since: datetime, until: datetime) -> Any:
    """Each member's best attempt at each quiz, among the attempts in the period that count
    for the quiz (inside its window)."""
    return (
        select(
            Event.member_id.label("member_id"),
            func.max(quiz_score()).label("best"),
            Quiz.max_score.label("top"),
        )
        .join(Quiz, Quiz.code == Event.data["quiz"].as_string())
        .where(Event.type == "quiz", Event.occurred_at >= since, Event.occurred_at < until)
        .where(Event.occurred_at >= Quiz.opens_at, Event.occurred_at < Quiz.closes_at)
        .where(Quiz.cancelled_at.is_(None))
        .group_by(Event.member_id, Quiz.id, Quiz.max_score)
        .subquery()
    )


def _quizzes(session: Session, since: datetime, until: datetime) -> Any:
    best = _attempts(since, until)
    # Mastered: a best of at least 90% of the maximum (in integers: best * 10 >= max * 9).
    mastered = case((best.c.best * 10 >= best.c.top * 9, best.c.member_id))
    return session.execute(
        select(*GROUP, func.count(distinct(best.c.member_id)), func.count(distinct(mastered)))
        .join(Member, Member.id == best.c.member_id)
        .where(ACTIVE)
        .group_by(*GROUP)
    )


def _reports(session: Session, since: datetime, until: datetime) -> Any:
    """Members who submitted a practice report in the period; of them, those with one approved
    and those with one marked exemplary (as the reports stand now)."""
    author = Report.member_id
    return session.execute(
        select(
            *GROUP,
            func.count(distinct(author)),
            func.count(distinct(case((Report.state == APPROVED, author)))),
            func.count(distinct(case((Report.exemplary_by.is_not(None), author)))),
        )
        .join(Member, Member.id == author)
        .where(Report.submitted_at >= since, Report.submitted_at < until, ACTIVE)
        .group_by(*GROUP)
    )


def _active(session: Session, period: Period, since: datetime, until: datetime) -> Any:
    """Members who earned points, attended a session, attempted a quiz or submitted a report.
    A deduction is not activity: an absence must not make someone count as active."""
    anyone = union(
        select(LedgerEntry.member_id).where(
            LedgerEntry.local_date.between(*period), LedgerEntry.points > 0
        ),
        select(Attendance.member_id)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(*_held(since, until), Attendance.status.in_(PRESENT)),
        select(Event.member_id).where(
            Event.type == "quiz", Event.occurred_at >= since, Event.occurred_at < until
        ),
        select(Report.member_id).where(Report.submitted_at >= since, Report.submitted_at < until),
    ).subquery()
    return session.execute(
        select(*GROUP, func.count())
        .where(Member.id.in_(select(anyone.c[0])), ACTIVE)
        .group_by(*GROUP)
    )
