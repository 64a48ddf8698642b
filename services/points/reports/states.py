"""The states of a report and the transitions between them; every move is recorded.

    draft -> submitted                 the author submits
    submitted -> in_review             a reviewer takes it (their first score or decision)
    in_review -> returned              a reviewer returns it for revision, with a comment
    in_review -> approved | rejected   the rubric's total decides (or a reviewer rejects it)
    returned -> submitted              the author resubmits after editing
    approved | rejected -> submitted   the author's one appeal, which one reviewer who has not
                                       scored the report decides alone

Anything else is a 409 naming the state the report is in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Conflict
from services.points.delivery import events as delivery_events
from services.points.delivery import outbox
from services.points.reports.models import Report, Transition

DRAFT, SUBMITTED, IN_REVIEW = "draft", "submitted", "in_review"
RETURNED, APPROVED, REJECTED = "returned", "approved", "rejected"
STATES = (DRAFT, SUBMITTED, IN_REVIEW, RETURNED, APPROVED, REJECTED)
WAITING = (SUBMITTED, IN_REVIEW)  # a reviewer's move is due
# The moves other systems hear of (services/points/delivery/).
OUTBOUND = {APPROVED: outbox.REPORT_APPROVED, RETURNED: outbox.REPORT_RETURNED}

ALLOWED: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({IN_REVIEW}),
    IN_REVIEW: frozenset({RETURNED, APPROVED, REJECTED}),
    RETURNED: frozenset({SUBMITTED}),
    APPROVED: frozenset({SUBMITTED}),
    REJECTED: frozenset({SUBMITTED}),
}


def require(report: Report, *states: str, doing: str) -> None:
    """409 unless the report is in one of ``states``."""
    if report.state not in states:
        raise Conflict(
            f"Report {report.id} is {report.state}; {doing} needs it {' or '.join(states)}."
        )


def move(
    session: Session,
    report: Report,
    to: str,
    actor: str,
    now: datetime,
    comment: str | None = None,
) -> None:
    """Move the report to ``to`` (409 when not allowed from where it is), and record it."""
    if to not in ALLOWED.get(report.state, frozenset()):
        raise Conflict(f"Report {report.id} is {report.state}; it cannot become {to}.")
    session.add(
        Transition(
            report_id=report.id,
            actor=actor[:100],
            from_state=report.state,
            to_state=to,
            comment=comment,
            at=now,
        )
    )
    report.state = to
    report.updated_at = now
    if to in OUTBOUND:  # told to the subscriptions, in this transaction (the outbox)
        delivery_events.report_decided(session, report, OUTBOUND[to])


def created(session: Session, report: Report, actor: str, now: datetime) -> None:
    session.add(Transition(report_id=report.id, actor=actor, to_state=DRAFT, at=now))


def history(session: Session, report_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Transition).where(Transition.report_id == report_id).order_by(Transition.id)
    )
    return [
        {
            "actor": t.actor,
            "from_state": t.from_state,
            "to_state": t.to_state,
            "comment": t.comment,
            "at": t.at.isoformat(),
        }
        for t in rows
    ]
