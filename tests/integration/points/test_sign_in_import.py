"""The sign-in sheet import on a real database: a sheet's rows become attendance events through
intake (dry run first, changing nothing; the apply with an audit record; the same sheet again
unchanged), bad rows come back by line, an absence after closing is corrected once, and only
an admin of the session's units imports. Units: north > north-ops, south; members S001
(north-ops), S002 (south), S003 (south, inactive)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from services.points.imports import signins
from services.points.models import AuditRecord, Event
from tests.integration.points.sessions_help import (
    NORTH_ADMIN,
    SOUTH_ADMIN,
    add_members,
    at_minutes,
    net,
    schedule,
    sign_in,
)

LOCAL = ZoneInfo("Asia/Shanghai")


def upload(
    client: FlaskClient, session_id: str, data: bytes, query: str = "", **headers: str
) -> Any:
    files = {"file": (io.BytesIO(data), "sign-ins.csv")}
    path = f"/api/v1/sessions/{session_id}/sign-ins/import{query}"
    return client.post(path, data=files, content_type="multipart/form-data", headers=headers)


def on_the_hour(client: FlaskClient, units: list[str], **extra: Any) -> dict[str, Any]:
    """A session that started on the hour, at least an hour ago, for 50 minutes (so a clock
    time a few minutes after the start is on the start's local day)."""
    start = datetime.now(LOCAL).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    times = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(minutes=50)).isoformat()}
    return schedule(client, units, **times, **extra)


def local(session: dict[str, Any], minutes: int, shape: str) -> str:
    return (
        (datetime.fromisoformat(session["starts_at"]) + timedelta(minutes=minutes))
        .astimezone(LOCAL)
        .strftime(shape)
    )


def sheet_events(app: Flask) -> int:
    with app.extensions["db"].read() as session:
        query = select(func.count()).where(Event.sender == "platform:sheets")
        return int(session.scalar(query) or 0)


def test_a_sheet_is_dry_run_applied_once_and_reports_bad_rows(
    org: FlaskClient, points_app: Flask
) -> None:
    add_members(org, ("N002", "north-ops"), ("N003", "north"), ("N006", "north"))
    study = on_the_hour(org, ["north"], grace_minutes=5)
    ss = study["id"]
    terminal = org.post("/api/v1/events", json=sign_in(ss, "N006", at_minutes(study, 1)))
    assert terminal.status_code == 201, terminal.get_json()
    sheet = (
        "工号,签到状态,签到时间,备注\n"
        f"S001,,{local(study, 2, '%H:%M')},\n"  # on time, from the clock time
        "N002,迟到,,\n"  # late, as written
        f"N003,,{local(study, 30, '%Y/%m/%d %H:%M')},路上堵车\n"  # late, from the date and time
        "S002,准时,,\n"  # line 5: of the south, not expected
        "X999,准时,,\n"  # line 6: no such member
        "N004,准时,,\n"  # lines 7, 8: twice
        "N004,迟到,,\n"
        "N005,也许,,\n"  # line 9: no such status
        "N007,,25:99,\n"  # line 10: no such time
        "N006,准时,,\n"  # line 11: signed in at the terminal
        ",,,\n"  # blank: skipped
    ).encode("gb18030")
    dry = upload(org, ss, sheet)
    assert dry.status_code == 200, dry.get_json()
    report = dry.get_json()
    assert report["dry_run"] is True and report["audit_id"] is None
    assert report["counts"] == {"created": 3, "corrected": 0, "unchanged": 0, "rejected": 7}
    assert report["ignored_columns"] == ["备注"]
    assert report["rows"]["created"] == [
        {"line": 2, "key": "S001", "changes": {"status": {"from": None, "to": "on_time"},
                                               "points": {"from": None, "to": 2}}},
        {"line": 3, "key": "N002", "changes": {"status": {"from": None, "to": "late"},
                                               "points": {"from": None, "to": 0}}},
        {"line": 4, "key": "N003", "changes": {"status": {"from": None, "to": "late"},
                                               "points": {"from": None, "to": 0}}},
    ]  # fmt: skip
    rejected = {row["line"]: row["errors"] for row in report["rows"]["rejected"]}
    assert list(rejected) == [5, 6, 7, 8, 9, 10, 11]  # in file order
    assert rejected == {
        5: {"staff_no": [f"S002 is not expected at session {ss}."]},
        6: {"staff_no": ["Unknown member 'X999'."]},
        7: {"staff_no": ["On several lines: 7, 8."]},
        8: {"staff_no": ["On several lines: 7, 8."]},
        9: {"status": [rejected[9]["status"][0]]},
        10: {"time": ["'25:99' is not a time (14:05, or 2026-12-02 14:05)."]},
        11: {"staff_no": [f"N006 already has 'on_time' at session {ss}."]},
    }
    assert rejected[9]["status"][0].startswith("'也许' is not a status; one of: on_time")
    assert (sheet_events(points_app), net(points_app, "S001")) == (0, 0)

    applied = upload(org, ss, sheet, "?dry_run=false")
    assert applied.status_code == 200, applied.get_json()
    done = applied.get_json()
    assert done["audit_id"] is not None and done["dry_run"] is False
    assert {k: v for k, v in done.items() if k not in ("dry_run", "audit_id")} == {
        k: v for k, v in report.items() if k not in ("dry_run", "audit_id")
    }
    assert (sheet_events(points_app), net(points_app, "S001"), net(points_app, "N006")) == (3, 2, 2)
    with points_app.extensions["db"].read() as session:
        audit = session.get(AuditRecord, done["audit_id"])
        assert audit is not None and audit.action == "sign_in_import"
        assert audit.detail["session"] == ss and audit.detail["counts"]["created"] == 3

    again = upload(org, ss, sheet, "?dry_run=false").get_json()
    assert again["counts"] == {"created": 0, "corrected": 0, "unchanged": 3, "rejected": 7}
    assert sheet_events(points_app) == 3 and net(points_app, "S001") == 2
    other = upload(org, ss, "工号,签到状态\nS001,迟到\n".encode(), "?dry_run=false").get_json()
    assert other["rows"]["rejected"] == [
        {"line": 2, "key": "S001", "errors": {"staff_no": [signins.REUSED]}}
    ]

    figures = org.get(f"/api/v1/sessions/{ss}/figures").get_json()["totals"]
    assert (figures["expected"], figures["on_time"], figures["late"]) == (4, 2, 2)


def xlsx(*rows: tuple[Any, ...]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_after_closing_corrects_absences_once(org: FlaskClient, points_app: Flask) -> None:
    add_members(org, ("N002", "north-ops"))
    study = on_the_hour(org, ["north"], grace_minutes=5)
    ss = study["id"]
    assert org.post(f"/api/v1/sessions/{ss}/close").get_json()["absent"] == 2
    clock = datetime.fromisoformat(local(study, 20, "%Y-%m-%dT%H:%M")).time()
    sheet = xlsx(("Staff number", "Status", "Time"), ("S001", None, clock), ("N002", "缺席", None))
    answer = upload(org, ss, sheet, "?dry_run=false")
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    late = {"status": {"from": "absent", "to": "late"}, "points": {"from": None, "to": 0}}
    assert report["rows"]["corrected"] == [{"line": 2, "key": "S001", "changes": late}]
    assert report["rows"]["rejected"] == [{"line": 3, "key": "N002", "errors": {
        "staff_no": [f"N002 already has 'absent' at session {ss}."]}}]  # fmt: skip
    assert net(points_app, "S001") == 0  # -3 absent, 0 late, +3 correction
    assert upload(org, ss, sheet, "?dry_run=false").get_json()["counts"]["unchanged"] == 1
    assert net(points_app, "S001") == 0
    totals = org.get(f"/api/v1/sessions/{ss}/figures").get_json()["totals"]
    assert (totals["late"], totals["absent"], totals["rate"]) == (1, 1, 0.5)


def test_only_an_admin_of_the_sessions_units_imports_and_bad_files_change_nothing(
    org: FlaskClient, points_app: Flask
) -> None:
    sheet = b"staff_no,status\nS001,on_time\n"
    missing = upload(org, "ss-999", sheet)
    assert missing.status_code == 404 and "ss-999" in missing.get_json()["message"]
    north = on_the_hour(org, ["north"])["id"]
    assert upload(org, north, sheet, **NORTH_ADMIN).status_code == 200
    refused = upload(org, north, sheet, "?dry_run=false", **SOUTH_ADMIN)
    assert refused.status_code == 403, refused.get_json()
    both = on_the_hour(org, ["north", "south"])["id"]
    assert upload(org, both, sheet, **NORTH_ADMIN).status_code == 403
    no_column = upload(org, north, b"name,status\nLi,on_time\n")
    assert no_column.status_code == 422 and "staff_no" in str(no_column.get_json())
    assert "file" in no_column.get_json()["errors"]["files"]
    cancelled = on_the_hour(org, ["north"])["id"]
    assert org.post(f"/api/v1/sessions/{cancelled}/cancel").status_code == 200
    rows = upload(org, cancelled, sheet, "?dry_run=false").get_json()["rows"]["rejected"]
    assert [r["errors"] for r in rows] == [{"session": [f"Session {cancelled} was cancelled."]}]
    ahead = schedule(org, ["north"], starts_at="2031-01-01T09:00", ends_at="2031-01-01T10:00")
    rows = upload(org, ahead["id"], sheet, "?dry_run=false").get_json()["rows"]["rejected"]
    assert [r["errors"] for r in rows] == [{"time": ["Must not be in the future."]}]
    assert sheet_events(points_app) == 0
