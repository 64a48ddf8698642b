"""Reversing an absence once something replaces it (a late sign-in, an approved excuse).

The ledger is never edited: the absence's entries stay, and one compensating entry of the
opposite sum joins them, so the member's net for the session is what the new status earns
(that event is priced on its own by the rules). Exactly once: the correction's key
``correct:<session>:<staff_no>`` is unique, and it is written under the session's row lock in
the transaction that records the replacing event; an absence is reversed at most once,
whatever replaces it. The entry is dated when it is written (a correction happens now; closed
periods and their archives stay as they were).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.points.ledger.entries import insert_entries, ledger_row
from services.points.models import LedgerEntry
from services.points.sessions.models import (
    Attendance,
    SessionCorrection,
    StudySession,
    public_id,
)
from services.rules import Entry


def key_of(study: StudySession, staff_no: str) -> str:
    return f"correct:{public_id(study.id)}:{staff_no}"


def reverse_absence(
    session: Session,
    study: StudySession,
    record: Attendance,
    member: Any,
    status: str,
    zone_name: str,
    now: datetime,
) -> None:
    key = key_of(study, member.staff_no)
    if session.scalar(select(SessionCorrection.id).where(SessionCorrection.key == key)):
        return
    priced = session.execute(
        select(LedgerEntry.category, LedgerEntry.points).where(
            LedgerEntry.event_id == record.event_id
        )
    ).all()
    points = -sum(row.points for row in priced)
    entry_id = None
    if points:
        name = public_id(study.id)
        reason = f"Correction: absent from session {name} ({study.title}), now {status}"
        detail = {"kind": "correction", "session": name, "was": "absent", "now": status,
                  "title": study.title, "key": key}  # fmt: skip
        entry = Entry("correction", priced[0].category, points, f"{reason}: {points:+d} points",
                      detail)  # fmt: skip
        row = ledger_row(member, None, entry, None, now, local_date(now, zone_name), now)
        (entry_id,) = insert_entries(session, [row])
    session.add(
        SessionCorrection(
            key=key,
            session_id=study.id,
            member_id=member.id,
            status=status,
            reversed_event_id=record.event_id,
            entry_id=entry_id,
            created_at=now,
        )
    )
