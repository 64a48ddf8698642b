"""Attendance events that name a study session: the intake's checker and its follow-up.

The checker (registered for "attendance" in ``intake.references``) runs inside the intake
transaction, before pricing. It locks the sessions named (sign-ins, closing and corrections of
one session take turns), and for each event:

- an id the platform never gave: as ``UNKNOWN_ACTIVITY`` says (recorded as sent, which then
  needs a status; or a 422 naming it);
- a cancelled session: 422;
- a member the session does not expect: 422 naming the member (strict attendance: a sign-in
  for someone not invited is a mistake to see at once, not a point to give);
- a member who already has a record at the session under another event id: 422, unless that
  record is ``absent`` and this one is not (a late sign-in after closing corrects it);
- no status: derived from ``occurred_at`` against the start plus the grace minutes.

The follow-up (after the event is recorded and priced) keeps the member's record
(``Attendance``) and, when the event replaces an absence, writes the compensating entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.models import Event, Member
from services.points.sessions import corrections, expected, timing
from services.points.sessions.models import Attendance, StudySession, parse_id, public_id
from services.settings import UNKNOWN_CHOICES

AD_HOC, REFUSE = UNKNOWN_CHOICES
ABSENT = "absent"
Errors = dict[int, dict[str, Any]]


def lock_sessions(session: Session, numbers: Iterable[int]) -> dict[int, StudySession]:
    """The sessions with these ids, their rows locked until the transaction ends (in id order,
    so that two transactions never wait on each other crosswise)."""
    wanted = sorted(set(numbers))
    query = select(StudySession).where(StudySession.id.in_(wanted)).order_by(StudySession.id)
    return {s.id: s for s in session.scalars(query.with_for_update())}


def check(session: Session, events: list[tuple[int, dict[str, Any]]], unknown: str) -> Errors:
    numbers = {i: parse_id(e["data"]["session"]) for i, e in events}
    studies = lock_sessions(session, (n for n in numbers.values() if n is not None))
    staff = {e["member"] for _, e in events}
    found = session.execute(select(Member.staff_no, Member.id).where(Member.staff_no.in_(staff)))
    members: dict[str, int] = {row.staff_no: row.id for row in found}
    expects = {n: expected.among(session, study, members.values()) for n, study in studies.items()}
    records = _records(session, studies, members.values())
    errors: Errors = {}
    for index, event in events:
        study = studies.get(numbers[index] or 0)
        if study is None:
            if problem := _unknown(event, unknown):
                errors[index] = problem
            continue
        member_id = members.get(event["member"])
        problem = _refusal(study, event, member_id, expects[study.id], records)
        if problem:
            errors[index] = problem
            continue
        event["data"].setdefault(
            "status", timing.status_at(event["occurred_at"], study.starts_at, study.grace_minutes)
        )
        if member_id is not None:
            # This event is the member's record now: another id later in the batch is refused,
            # even where it replaces an absence too.
            records[(study.id, member_id)] = (event["data"]["status"], event["id"])
    return errors


def _records(
    session: Session, studies: dict[int, StudySession], member_ids: Iterable[int]
) -> dict[tuple[int, int], tuple[str, str]]:
    """(session, member) -> (status, the sender's event id) of the records there are."""
    rows = session.execute(
        select(Attendance.session_id, Attendance.member_id, Attendance.status, Event.external_id)
        .join(Event, Event.id == Attendance.event_id)
        .where(Attendance.session_id.in_(list(studies)), Attendance.member_id.in_(list(member_ids)))
    )
    return {(r.session_id, r.member_id): (r.status, r.external_id) for r in rows}


def _unknown(event: dict[str, Any], unknown: str) -> dict[str, Any] | None:
    text = event["data"]["session"]
    if unknown == REFUSE:
        return {"data": {"session": [f"Unknown study session {text!r}."]}}
    if "status" not in event["data"]:
        why = f"Required: session {text!r} is not one the platform keeps, so none is derived."
        return {"data": {"status": [why]}}
    return None


def _refusal(
    study: StudySession,
    event: dict[str, Any],
    member_id: int | None,
    expects: set[int],
    records: dict[tuple[int, int], tuple[str, str]],
) -> dict[str, Any] | None:
    name, staff_no = public_id(study.id), event["member"]
    if study.cancelled_at is not None:
        return {"data": {"session": [f"Session {name} was cancelled."]}}
    if member_id is None:
        return None  # intake answers for an unknown member
    if member_id not in expects:
        return {"member": [f"{staff_no} is not expected at session {name}."]}
    record = records.get((study.id, member_id))
    if record is None or record[1] == event["id"]:
        return None  # new, or the same event again (intake answers a replay)
    if record[0] == ABSENT and event["data"].get("status") != ABSENT:
        return None  # replaces an absence: the follow-up corrects the ledger
    return {"member": [f"{staff_no} already has {record[0]!r} at session {name}."]}


def follow_up(
    session: Session, recorded: list[tuple[dict[str, Any], int, Any]], zone_name: str, now: datetime
) -> None:
    """After intake recorded new attendance events: keep each member's record at the session,
    and reverse an absence that a sign-in or an excuse replaces (``corrections``)."""
    for event, event_id, member in recorded:
        number = parse_id(event["data"]["session"])
        study = session.get(StudySession, number) if number is not None else None
        if study is None:
            continue
        status = event["data"]["status"]
        row = session.get(Attendance, (study.id, member.id))
        if row is None:
            session.add(
                Attendance(
                    session_id=study.id,
                    member_id=member.id,
                    status=status,
                    event_id=event_id,
                    expected=False,
                    updated_at=now,
                )
            )
        elif row.status == ABSENT and status != ABSENT:
            corrections.reverse_absence(session, study, row, member, status, zone_name, now)
            row.status, row.event_id, row.updated_at = status, event_id, now
    session.flush()


def titles(session: Session, names: Iterable[str]) -> dict[str, str]:
    """{public id: title} of the kept sessions among ``names``: an attendance entry names its
    session's title in its detail, so it explains itself without another lookup."""
    numbers = {name: parse_id(name) for name in set(names)}
    wanted = sorted({n for n in numbers.values() if n is not None})
    if not wanted:
        return {}
    query = select(StudySession.id, StudySession.title).where(StudySession.id.in_(wanted))
    found: dict[int, str] = dict(session.execute(query).tuples().all())
    return {name: found[n] for name, n in numbers.items() if n in found}
