"""The outbound events the platform's changes cause, each built from the change and recorded
in its transaction (``outbox.record``): a badge earned, a practice report approved or
returned, a study session closed with its absences. What each carries is in docs/delivery.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.delivery import outbox
from services.points.models import Member, Unit
from services.points.sessions.models import public_id


def _people(session: Session, member_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(member_ids))
    rows = session.execute(
        select(Member.id, Member.staff_no, Member.name, Member.unit_id, Unit.code)
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.id.in_(ids))
    )
    return {
        r.id: {"member": r.staff_no, "name": r.name, "unit": r.code, "unit_id": r.unit_id}
        for r in rows
    }


def badges_earned(session: Session, rows: list[dict[str, Any]]) -> None:
    """One event per badge row just inserted (``scoring.record_badges``)."""
    people = _people(session, (row["member_id"] for row in rows))
    for row in rows:
        who = dict(people[row["member_id"]])
        unit_id = who.pop("unit_id")
        data = {**who, "badge": row["code"], "title": row["title"], "window": row["window"]}
        data["awarded_at"] = row["awarded_at"].isoformat()
        outbox.record(session, outbox.BADGE_EARNED, data, [unit_id])


def report_decided(session: Session, report: Any, kind: str) -> None:
    """A practice report approved (with its rating) or returned (with the comment)."""
    who = dict(_people(session, [report.member_id])[report.member_id])
    unit_id = who.pop("unit_id")
    data = {**who, "report": report.id, "title": report.title}
    if kind == outbox.REPORT_APPROVED:
        data["rating"] = report.rating
    else:
        data["comment"] = report.comment
    outbox.record(session, kind, data, [unit_id])


def session_closed(session: Session, study: Any, absent_ids: list[int]) -> None:
    """A study session closed the first time, with the members recorded absent: for the
    organisation's subscriptions and those of the absent members' units."""
    people = _people(session, absent_ids)
    absent = [
        {k: v for k, v in people[i].items() if k != "unit_id"} for i in absent_ids if i in people
    ]
    data = {
        "session": public_id(study.id),
        "title": study.title,
        "starts_at": study.starts_at.isoformat(),
        "absent": absent,
    }
    outbox.record(session, outbox.SESSION_CLOSED, data, [p["unit_id"] for p in people.values()])
