"""The sign-in sheet import: a session's sheet of sign-ins becomes its attendance events.

Each row becomes the platform's own attendance event ``sheet:<session>:<staff_no>`` (sender
``platform:sheets``, whoever imports: the id is the member's sheet sign-in at that session, so
a second import, by anyone, is a replay) and goes through intake as a terminal's sign-in does:
its shape (``check_shapes``), the session's checker (a member not expected, a second record
under another event id, a cancelled session: refused), pricing by the rules, the ledger and the
outbox. After closing, a row for a member recorded absent replaces the absence through the
sessions' own correction (``sessions.corrections``, from the attendance follow-up).

Each row is created, corrected (it replaced an absence), unchanged (imported before), or
rejected with its reasons: a bad staff number, status or time, a staff number on several lines
(all of them: which is right is the sheet's to say), an unknown or inactive member, and what
intake refused. The dry run runs the same code in the same write transaction and rolls it back
(a savepoint), so it reports exactly what the apply would do, points included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import zone
from services.points.imports.report import UNCHANGED, Outcome, Report, change
from services.points.imports.report import write_audit as report_audit
from services.points.imports.signin_rows import SignIn, parse
from services.points.imports.tables import Table
from services.points.intake import references
from services.points.intake.record import Outcome as Answer
from services.points.intake.record import check_shapes, record
from services.points.models import Member
from services.points.rules.published import RuleBook
from services.points.sessions.attendance import ABSENT
from services.points.sessions.models import Attendance, StudySession, public_id

SENDER = "platform:sheets"
REUSED = "Imported before with another status or time; the sign-in recorded then stands."
ACTIONS = ("created", "corrected", UNCHANGED, "rejected")
# Where intake names a field, the sheet's column that holds it.
COLUMN_OF = {"member": "staff_no", "id": "staff_no", "occurred_at": "time"}


def event_id(study: StudySession, staff_no: str) -> str:
    return f"sheet:{public_id(study.id)}:{staff_no}"


def run(
    session: Session,
    study: StudySession,
    table: Table,
    context: Mapping[str, Any],
    *,
    dry_run: bool,
) -> Report:
    """``context``: rules (a RuleBook), zone, unknown (UNKNOWN_ACTIVITY), now."""
    zone_name, now = context["zone"], context["now"]
    report = Report(ACTIONS, dry_run, ignored_columns=list(table.ignored))
    day = study.starts_at.astimezone(zone(zone_name))
    rows = _parsed(table, report, day, zone_name)
    raw = [_event(study, row) for row in rows]
    good, errors = check_shapes(raw, now)
    absent = _absent(session, study, [row.staff_no for row in rows])
    savepoint = session.begin_nested() if dry_run else None
    good, refused = references.check(session, good, context["unknown"])
    errors |= refused
    book: RuleBook = context["rules"]
    answers = record(session, SENDER, good, book, zone_name, now) if good else {}
    for index, row in enumerate(rows):
        if index in errors:
            report.reject(row.line, row.staff_no, _columns(errors[index]))
        else:
            _answered(report, row, answers[index], row.staff_no in absent)
    if savepoint is not None:
        savepoint.rollback()
    report.outcomes.sort(key=lambda outcome: outcome.line or 0)  # file order in every action
    return report


def _parsed(table: Table, report: Report, day: datetime, zone_name: str) -> list[SignIn]:
    lines: dict[str, list[int]] = {}
    for row in table.rows:
        lines.setdefault(row.values["staff_no"], []).append(row.line)
    rows = []
    for row in table.rows:
        staff_no = row.values["staff_no"]
        if staff_no and len(lines[staff_no]) > 1:
            on = ", ".join(map(str, lines[staff_no]))
            report.reject(row.line, staff_no, {"staff_no": [f"On several lines: {on}."]})
            continue
        parsed = parse(row, day, zone_name)
        if isinstance(parsed, dict):
            report.reject(row.line, staff_no[:64] or None, parsed)
        else:
            rows.append(parsed)
    return rows


def _event(study: StudySession, row: SignIn) -> dict[str, Any]:
    data = {"session": public_id(study.id)}
    if row.status is not None:
        data["status"] = row.status
    return {
        "id": event_id(study, row.staff_no),
        "type": "attendance",
        "member": row.staff_no,
        "occurred_at": (row.at or study.starts_at).isoformat(),
        "data": data,
    }


def _absent(session: Session, study: StudySession, staff_nos: list[str]) -> set[str]:
    """Who of these is recorded absent at the session now (a sign-in would correct it)."""
    rows = session.scalars(
        select(Member.staff_no)
        .join(Attendance, Attendance.member_id == Member.id)
        .where(
            Attendance.session_id == study.id,
            Attendance.status == ABSENT,
            Member.staff_no.in_(staff_nos),
        )
    )
    return set(rows)


def _answered(report: Report, row: SignIn, answer: Answer, was_absent: bool) -> None:
    if answer.status == 200:
        report.add(Outcome(row.line, row.staff_no, UNCHANGED))
        return
    if answer.status != 201:
        errors = answer.body.get("errors") or {"staff_no": [REUSED]}
        report.reject(row.line, row.staff_no, _columns(errors))
        return
    status = answer.body["event"]["data"]["status"]
    points = sum(entry["points"] for entry in answer.body["entries"])
    action = "corrected" if was_absent else "created"
    before = ABSENT if was_absent else None
    changes = {"status": change(before, status), "points": change(None, points)}
    report.add(Outcome(row.line, row.staff_no, action, changes))


def _columns(errors: dict[str, Any]) -> dict[str, list[str]]:
    """Intake's errors ({"member": [...]}, {"data": {"status": [...]}}) by the sheet's columns."""
    found: dict[str, list[str]] = {}
    for name, value in errors.items():
        if isinstance(value, dict):
            for inner, messages in _columns(value).items():
                found.setdefault(COLUMN_OF.get(inner, inner), []).extend(messages)
        else:
            found.setdefault(COLUMN_OF.get(name, name), []).extend(map(str, value))
    return found


def write_audit(
    session: Session, study: StudySession, report: Report, actor: str, about: dict[str, Any],
    now: datetime,
) -> None:  # fmt: skip
    """The apply's audit record: who imported which file into which session, and what it did."""
    about = {**about, "session": public_id(study.id)}
    report_audit(session, report, actor, "sign_in_import", about, now)
