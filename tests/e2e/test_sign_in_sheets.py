"""A sign-in sheet through the real gateway and processes, with a signed-in admin: a session
for two departments, a terminal's sign-in, then a GB18030 sheet (as Chinese office software
saves it) with a bad row and a member not expected; the dry run changes nothing, the apply
records the sheet's sign-ins once, the same sheet again is unchanged, the attendance figures
and the boards follow; another region's admin is refused, an unknown session is a 404."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.harness import Platform
from tests.harness.people import account, cli_admin, organisation

pytestmark = pytest.mark.e2e

LOCAL = ZoneInfo("Asia/Shanghai")
UNITS = (("sh-east", "East", None), ("sh-law", "East law", "sh-east"),
         ("sh-tax", "East tax", "sh-east"), ("sh-west", "West", None))  # fmt: skip
MEMBERS = (("SH-A1", "sh-law"), ("SH-A2", "sh-law"), ("SH-B1", "sh-tax"), ("SH-B2", "sh-tax"),
           ("SH-W1", "sh-west"))  # fmt: skip


def upload(platform: Platform, ss: str, sheet: bytes, key: str, query: str = "") -> Any:
    path = f"/api/v1/sessions/{ss}/sign-ins/import{query}"
    return platform.client.upload(path, "签到表.csv", sheet, key=key)


def points(platform: Platform, staff_no: str, key: str) -> list[int]:
    reply = platform.call("GET", f"/api/v1/members/{staff_no}/ledger", key=key)
    assert reply.status == 200, reply.body
    return [entry["points"] for entry in reply.body["items"]]


def test_a_gb18030_sign_in_sheet_is_dry_run_applied_once_and_counted(platform: Platform) -> None:
    admin = cli_admin(platform, "SH-ADMIN")
    organisation(platform, admin, UNITS, MEMBERS)
    east_admin = account(platform, admin, "SH-A1", ("admin", "sh-east"))
    west_admin = account(platform, admin, "SH-W1", ("admin", "sh-west"))

    # On the hour, so the sheet's clock times fall on the session's local day; still running,
    # so the ticker does not close it (and record the pending member absent) meanwhile.
    start = datetime.now(LOCAL).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    session = {"title": "Tax law", "starts_at": start.isoformat(),
               "ends_at": (start + timedelta(hours=3)).isoformat(), "grace_minutes": 5,
               "expected": {"units": ["sh-law", "sh-tax"]}}  # fmt: skip
    made = platform.call("POST", "/api/v1/sessions", session, key=admin)
    assert made.status == 201, made.body
    ss = made.body["id"]
    terminal = {"id": f"gate-1:{ss}:SH-A1", "type": "attendance", "member": "SH-A1",
                "occurred_at": (start + timedelta(minutes=1)).isoformat(),
                "data": {"session": ss}}  # fmt: skip
    assert platform.post_events([terminal])[0] == 201

    sheet = (
        "工号,签到状态,签到时间\n"
        f"SH-A2,,{(start + timedelta(minutes=3)).strftime('%H:%M')}\n"  # on time, by the clock
        "SH-B1,迟到,\n"  # late, as written
        "SH-B2,旷工,\n"  # line 4: no such status
        "SH-W1,准时,\n"  # line 5: of the west, not expected
        "SH-A1,准时,\n"  # line 6: signed in at the terminal already
    ).encode("gb18030")
    refused = upload(platform, ss, sheet, west_admin)
    assert refused.status == 403, refused.body
    missing = upload(platform, "ss-999999", sheet, east_admin)
    assert missing.status == 404, missing.body

    dry = upload(platform, ss, sheet, east_admin)
    assert dry.status == 200, dry.body
    assert dry.body["dry_run"] is True
    assert dry.body["counts"] == {"created": 2, "corrected": 0, "unchanged": 0, "rejected": 3}
    assert [row["key"] for row in dry.body["rows"]["created"]] == ["SH-A2", "SH-B1"]
    rejected = {row["line"]: row["errors"] for row in dry.body["rows"]["rejected"]}
    assert list(rejected) == [4, 5, 6] and list(rejected[4]) == ["status"]
    assert rejected[5] == {"staff_no": [f"SH-W1 is not expected at session {ss}."]}
    assert rejected[6] == {"staff_no": [f"SH-A1 already has 'on_time' at session {ss}."]}
    assert points(platform, "SH-A2", admin) == []

    applied = upload(platform, ss, sheet, east_admin, "?dry_run=false")
    assert applied.status == 200, applied.body
    assert applied.body["counts"] == dry.body["counts"] and applied.body["audit_id"]
    again = upload(platform, ss, sheet, admin, "?dry_run=false")
    assert again.body["counts"] == {"created": 0, "corrected": 0, "unchanged": 2, "rejected": 3}
    assert (points(platform, "SH-A2", admin), points(platform, "SH-B1", admin)) == ([2], [0])

    figures = platform.call("GET", f"/api/v1/sessions/{ss}/figures", key=admin).body
    assert {k: figures["totals"][k] for k in ("expected", "on_time", "late", "pending")} == {
        "expected": 4, "on_time": 2, "late": 1, "pending": 1}  # fmt: skip
    units = {u["unit"]: u for u in figures["units"]}
    assert (units["sh-law"]["rate"], units["sh-tax"]["rate"], units["sh-east"]["rate"]) == (
        1.0, 0.5, 0.75)  # fmt: skip
    platform.wait_boards_equal_ledger()

    document = platform.call("GET", "/api/openapi.json", key="").body
    operation = document["paths"]["/api/v1/sessions/{session_id}/sign-ins/import"]["post"]
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"dry_run", "encoding", "sheet"} <= {p["name"] for p in operation["parameters"]}
    assert {"200", "404", "413"} <= set(operation["responses"])
    assert operation["x-required-scope"] == "admin"
