"""Who may do what with a report. Reports are people's: the author (the signed-in person the
gateway names in X-Viewer) writes their own; a reviewer reviews and reads the reports of the
members in the units their reviewer role covers, never their own; an admin reads those of
their units (the escalated ones are theirs to chase); a draft is its author's alone; a shared
exemplary report is open to every signed-in person. A system's key reaches no report; it
may only list the shared exemplary ones (``GET /api/v1/reports/exemplary``, which calls no
check here: the gateway lets through only a person or a key with the read scope)."""

from __future__ import annotations

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Forbidden, NotFound
from services.contracts import ADMIN, REVIEWER, VIEWER_HEADER, Reach
from services.points import org
from services.points.api.unit_access import reach
from services.points.models import Member
from services.points.reports.models import Report, Score
from services.points.reports.states import DRAFT


def viewer() -> tuple[str, Reach]:
    """The signed-in person's staff number and reach, or 403 for anyone else."""
    person, staff_no = reach(), request.headers.get(VIEWER_HEADER)
    if person is None or not staff_no:
        raise Forbidden("Practice reports are people's: sign in to write or review them.")
    return staff_no, person


def author_of(session: Session, report: Report) -> str:
    return session.scalar(select(Member.staff_no).where(Member.id == report.member_id)) or ""


def report_by_id(session: Session, report_id: int, lock: bool = False) -> Report:
    """The report; ``lock`` for a change: two reviewers scoring at once on PostgreSQL must not
    both find the round one score short (SQLite's writers take turns anyway)."""
    report = session.get(Report, report_id, with_for_update=lock)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    return report


def unit_path(session: Session, report: Report) -> list[str]:
    return org.unit_path(org.unit_codes(session), report.unit_id)


def own(session: Session, report_id: int) -> Report:
    """The viewer's own report (403 for anyone else's)."""
    staff_no, _ = viewer()
    report = report_by_id(session, report_id, lock=True)
    if author_of(session, report) != staff_no:
        raise Forbidden(f"Report {report_id} is {author_of(session, report)}'s to change.")
    return report


AUTHOR, REVIEWING, READER = "author", "reviewing", "reader"


def readable(session: Session, report_id: int) -> tuple[Report, str]:
    """The report and how the viewer reads it: as its author, as a reviewer or admin of its
    unit (scores and near copies shown), or as a reader of a shared exemplary report."""
    staff_no, person = viewer()
    report = report_by_id(session, report_id)
    if author_of(session, report) == staff_no:
        return report, AUTHOR
    if report.state == DRAFT:
        raise Forbidden(f"Report {report_id} is a draft, which only its author reads.")
    if person.covers(unit_path(session, report), REVIEWER, ADMIN):
        return report, REVIEWING
    if report.exemplary_by and report.shared:
        return report, READER
    raise Forbidden(f"Report {report_id} is outside the units your roles cover.")


def reviewer(session: Session, report: Report) -> str:
    """The viewer as a reviewer of this report (403 when they may not review it)."""
    staff_no, person = viewer()
    if author_of(session, report) == staff_no:
        raise Forbidden(f"You wrote report {report.id}; another reviewer reviews it.")
    if not person.covers(unit_path(session, report), REVIEWER):
        raise Forbidden(f"Report {report.id} is outside the units you review.")
    if report.appeal_round is not None and report.appeal_round == report.round:
        before = session.scalar(
            select(Score.id).where(
                Score.report_id == report.id, Score.reviewer == staff_no, Score.round < report.round
            )
        )
        if before is not None:
            raise Forbidden(f"Report {report.id} is under appeal: a different reviewer decides.")
    return staff_no


def units_covered(session: Session, person: Reach, role: str) -> set[int] | None:
    """Ids of the units ``role`` covers (None: the whole organisation)."""
    held = person.units.get(role)
    if held is None:
        return None if role in person.units else set()
    tree = org.unit_codes(session)
    return {uid for uid in tree if held & set(org.unit_path(tree, uid))}
