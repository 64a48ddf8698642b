"""What an author does with their report: write and edit a draft (or a returned report),
delete a draft, submit, appeal once, and choose whether an exemplary report is shared."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, Unprocessable
from services.points import org
from services.points.quizzes.models import Quiz
from services.points.reports import rubrics, similar, states
from services.points.reports.models import Attachment, Bucket, Report, Transition
from services.points.reports.states import APPROVED, DRAFT, REJECTED, RETURNED, SUBMITTED
from services.points.sessions.models import StudySession, parse_id

EDITABLE = (DRAFT, RETURNED)


def _fields(session: Session, body: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: body[k] for k in ("title", "applied", "result") if k in body}
    if "learned" in body:
        learned = body["learned"]
        _check_learned(session, learned["kind"], learned.get("ref"))
        values |= {
            "learned_kind": learned["kind"],
            "learned_ref": learned.get("ref"),
            "learned_text": learned.get("text", ""),
        }
    if "links" in body:
        values["links"] = {"items": body["links"]}
    return values


def _check_learned(session: Session, kind: str, ref: str | None) -> None:
    """A session or a quiz is one the platform keeps (cancelled ones too: it was scheduled);
    a course's id is the e-learning platform's, which is not kept here, so it is taken as
    written."""
    if kind == "session":
        number = parse_id(ref or "")
        known = number is not None and session.get(StudySession, number) is not None
    elif kind == "quiz":
        known = session.scalar(select(Quiz.id).where(Quiz.code == ref)) is not None
    else:
        return
    if not known:
        message = f"No {'study session' if kind == 'session' else 'quiz'} {ref!r} is kept."
        raise Unprocessable(errors={"json": {"learned": {"ref": [message]}}})


def create(session: Session, staff_no: str, body: dict[str, Any], now: datetime) -> Report:
    member = org.member_by_staff_no(session, staff_no)
    if not member.active:
        raise Conflict(f"{staff_no} is inactive and cannot write reports.")
    report = Report(
        member_id=member.id,
        unit_id=member.unit_id,
        state=DRAFT,
        round=0,
        shared=False,
        created_at=now,
        updated_at=now,
        **_fields(session, body),
    )
    session.add(report)
    session.flush()
    states.created(session, report, f"member:{staff_no}", now)
    return report


def edit(session: Session, report: Report, changes: dict[str, Any], now: datetime) -> None:
    states.require(report, *EDITABLE, doing="editing")
    for name, value in _fields(session, changes).items():
        setattr(report, name, value)
    report.updated_at = now


def remove(session: Session, report: Report) -> None:
    states.require(report, DRAFT, doing="deleting")
    for table in (Attachment, Transition, Bucket):
        session.execute(delete(table).where(table.report_id == report.id))
    session.delete(report)


def submit(
    session: Session, report: Report, staff_no: str, threshold: float, now: datetime
) -> None:
    states.require(report, *EDITABLE, doing="submitting")
    if report.rubric_id is None:
        rubric = rubrics.current(session)
        if rubric is None:
            raise Conflict("No review rubric is written yet: an admin writes one first.")
        report.rubric_id = rubric.id
    member = org.member_by_staff_no(session, staff_no)
    if not member.active:
        raise Conflict(f"{staff_no} is inactive and cannot submit reports.")
    _open_round(report, member.unit_id, now)
    states.move(session, report, SUBMITTED, f"member:{staff_no}", now)
    similar.check(session, report, threshold)


def appeal(session: Session, report: Report, staff_no: str, reason: str, now: datetime) -> None:
    states.require(report, APPROVED, REJECTED, doing="an appeal")
    if report.appealed_at is not None:
        raise Conflict(f"Report {report.id} was appealed once already; one appeal per report.")
    _open_round(report, report.unit_id, now)
    report.appealed_at, report.appeal_reason, report.appeal_round = now, reason, report.round
    states.move(session, report, SUBMITTED, f"member:{staff_no}", now, f"Appeal: {reason}")


def _open_round(report: Report, unit_id: int, now: datetime) -> None:
    report.round += 1
    report.unit_id = unit_id
    report.submitted_at = now
    report.escalated_at = None
    report.decided_at = None


def share(report: Report, shared: bool, now: datetime) -> None:
    report.shared = shared
    report.updated_at = now
