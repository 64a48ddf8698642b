"""The sections about practice reports of the unit's people: how many were written in the
period, by the state they are in now, and the exemplary ones approved in the period."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

from services.points.exports.tables import Cell, Scope, Table
from services.points.exports.words import REPORT_STATES, _l
from services.points.models import Member
from services.points.reports import listing
from services.points.reports.models import Report
from services.points.reports.states import APPROVED, STATES


def by_state(session: Session, scope: Scope) -> Table:
    say = scope.say
    query = (
        listing.in_units(session, set(scope.unit_ids), None)
        .where(Report.created_at >= scope.since, Report.created_at < scope.until)
        .with_only_columns(Report.state, func.count())
        .group_by(Report.state)
    )
    counts = {state: number for state, number in session.execute(query)}
    rows: list[list[Cell]] = [[say(REPORT_STATES[s]), counts.get(s, 0)] for s in STATES]
    rows.append([say(_l("Reports in total")), sum(counts.values())])
    headings = [say(_l("State")), say(_l("Reports"))]
    return Table("reports", say(_l("Practice reports")), headings, rows)


def exemplary(session: Session, scope: Scope) -> Table:
    say = scope.say
    query = (
        listing.in_units(session, set(scope.unit_ids), None)
        .where(
            Report.exemplary_by.is_not(None),
            Report.state == APPROVED,
            Report.decided_at >= scope.since,
            Report.decided_at < scope.until,
        )
        .join(Member, Member.id == Report.member_id)
        .with_only_columns(
            Report.title, Member.name, Report.rating, Report.total, Report.decided_at
        )
        .order_by(Report.decided_at, Report.id)
    )
    rows: list[list[Cell]] = [
        [title, author, rating, total, scope.local(decided)]
        for title, author, rating, total, decided in session.execute(query)
    ]
    headings = [
        say(_l("Report title")), say(_l("Author")), say(_l("Rating")), say(_l("Score")),
        say(_l("Approved on")),
    ]  # fmt: skip
    return Table("exemplary", say(_l("Exemplary practice reports")), headings, rows)
