"""Reports as the API shows them, and the lists: the author's own, the reviewers' queue, the
escalated ones for admins, the exemplary ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.points import org
from services.points.models import Member
from services.points.reports import access, similar
from services.points.reports.models import Attachment, Report, Score
from services.points.reports.states import APPROVED, WAITING


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def view(session: Session, report: Report, reviewing: bool = False) -> dict[str, Any]:
    """The report; reviewers and admins of its unit also see the scores and its near copy."""
    tree = org.unit_codes(session)
    files = session.scalars(
        select(Attachment).where(Attachment.report_id == report.id).order_by(Attachment.id)
    )
    shown: dict[str, Any] = {
        "id": report.id,
        "author": access.author_of(session, report),
        "unit": tree[report.unit_id][0],
        "state": report.state,
        "title": report.title,
        "learned": {
            "kind": report.learned_kind,
            "ref": report.learned_ref,
            "text": report.learned_text,
        },
        "applied": report.applied,
        "result": report.result,
        "links": report.links.get("items", []),
        "rubric": report.rubric_id,
        "round": report.round,
        "rating": report.rating,
        "total": report.total,
        "comment": report.comment,
        "created_at": report.created_at.isoformat(),
        "submitted_at": _iso(report.submitted_at),
        "decided_at": _iso(report.decided_at),
        "escalated": report.escalated_at is not None,
        "appeal": None,
        "exemplary": report.exemplary_by is not None,
        "shared": report.shared,
        "awarded_rating": report.awarded_rating,
        "attachments": [
            {"id": f.id, "name": f.name, "content_type": f.content_type, "size": f.size}
            for f in files
        ],
        "near_copy": similar.near_view(session, report) if reviewing else None,
        "scores": _scores(session, report) if reviewing else [],
    }
    if report.appealed_at is not None:
        shown["appeal"] = {"reason": report.appeal_reason, "at": report.appealed_at.isoformat()}
    return shown


def _scores(session: Session, report: Report) -> list[dict[str, Any]]:
    rows = session.scalars(select(Score).where(Score.report_id == report.id).order_by(Score.id))
    return [
        {
            "round": s.round,
            "reviewer": s.reviewer,
            "scores": s.scores,
            "total": s.total,
            "comment": s.comment,
            "at": s.at.isoformat(),
        }
        for s in rows
    ]


def page(
    session: Session, query: Select[tuple[Report]], limit: int, offset: int, reviewing: bool
) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(limit).offset(offset))
    return {"total": total or 0, "items": [view(session, r, reviewing) for r in rows]}


def mine(session: Session, staff_no: str, state: str | None) -> Select[tuple[Report]]:
    member = org.member_by_staff_no(session, staff_no)
    query = select(Report).where(Report.member_id == member.id)
    if state:
        query = query.where(Report.state == state)
    return query.order_by(Report.id.desc())


def in_units(session: Session, units: set[int] | None, unit: str | None) -> Select[tuple[Report]]:
    """Reports of the given unit ids (None: all), narrowed to ``unit`` and below."""
    query = select(Report)
    if units is not None:
        query = query.where(Report.unit_id.in_(units))
    if unit is not None:
        org.unit_by_code(session, unit, field="unit")
        tree = org.unit_codes(session)
        below = {uid for uid in tree if unit in org.unit_path(tree, uid)}
        query = query.where(Report.unit_id.in_(below))
    return query


def queue(
    session: Session, staff_no: str, units: set[int] | None, filters: dict[str, Any]
) -> Select[tuple[Report]]:
    """Waiting reports of the reviewer's units, oldest submission first; never their own, nor
    one waiting for another reviewer's score after theirs."""
    me = session.scalar(select(Member.id).where(Member.staff_no == staff_no))
    query = in_units(session, units, filters.get("unit"))
    wanted = (filters["state"],) if filters.get("state") else WAITING
    query = query.where(Report.state.in_(wanted))
    if me is not None:
        query = query.where(Report.member_id != me)
    scored = select(Score.id).where(
        Score.report_id == Report.id, Score.round == Report.round, Score.reviewer == staff_no
    )
    query = query.where(~scored.exists())  # nor those they scored in this round already
    if filters.get("submitted_since"):
        query = query.where(Report.submitted_at >= filters["submitted_since"])
    return query.order_by(Report.submitted_at, Report.id)


def escalated(session: Session, units: set[int] | None, unit: str | None) -> Select[tuple[Report]]:
    query = in_units(session, units, unit)
    query = query.where(Report.state.in_(WAITING), Report.escalated_at.is_not(None))
    return query.order_by(Report.submitted_at, Report.id)


def exemplary(session: Session, unit: str | None) -> Select[tuple[Report]]:
    query = in_units(session, None, unit)
    query = query.where(
        Report.exemplary_by.is_not(None), Report.shared.is_(True), Report.state == APPROVED
    )
    return query.order_by(Report.decided_at.desc(), Report.id.desc())
