"""A study session through the real gateway and processes, with real people: scheduled for two
departments by an admin, sign-ins from a terminal key limited to attendance, closed by hand
twice, the absent penalised once, a late excuse approved by the region's admin and corrected
in the ledger, the attendance rate per unit right; staff and an admin of another region
refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import Platform, quiz, wait_until
from tests.harness.people import account, cli_admin, organisation

pytestmark = pytest.mark.e2e

UNITS = (
    ("ss-east", "East", None),
    ("ss-east-law", "East law", "ss-east"),
    ("ss-east-tax", "East tax", "ss-east"),
    ("ss-west", "West", None),
)
MEMBERS = (("SS-A1", "ss-east-law"), ("SS-A2", "ss-east-law"), ("SS-A3", "ss-east-law"),
           ("SS-B1", "ss-east-tax"), ("SS-B2", "ss-east-tax"), ("SS-W1", "ss-west"))  # fmt: skip


def at(start: datetime, minutes: int) -> str:
    return (start + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def sign_in(session: str, member: str, when: str) -> dict[str, Any]:
    return {"id": f"gate-7:{session}:{member}", "type": "attendance", "member": member,
            "occurred_at": when, "data": {"session": session}}  # fmt: skip


def ledger(platform: Platform, staff_no: str, key: str) -> list[dict[str, Any]]:
    reply = platform.call("GET", f"/api/v1/members/{staff_no}/ledger", key=key)
    assert reply.status == 200, reply.body
    items: list[dict[str, Any]] = reply.body["items"]
    return items


def test_a_session_for_two_departments_from_schedule_to_corrected_ledger(
    platform: Platform,
) -> None:
    admin = cli_admin(platform, "SS-ADMIN")
    organisation(platform, admin, UNITS, MEMBERS)
    east_admin = account(platform, admin, "SS-A1", ("admin", "ss-east"))
    west_admin = account(platform, admin, "SS-W1", ("admin", "ss-west"))
    staff = account(platform, admin, "SS-A2")

    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=50)
    session = {"title": "Administrative law", "starts_at": at(start, 0), "ends_at": at(start, 45),
               "place": "East hall", "lecturer": "Dr. Sun",
               "expected": {"units": ["ss-east-law", "ss-east-tax"]}}  # fmt: skip
    for who in (staff, west_admin):  # staff never schedule; the west's admin not in the east
        refused = platform.call("POST", "/api/v1/sessions", session, key=who)
        assert refused.status == 403, refused.body
    made = platform.call("POST", "/api/v1/sessions", session, key=admin)
    assert made.status == 201, made.body
    ss = made.body["id"]

    spec = {"name": "ss-gate-7", "scopes": ["events"], "event_types": ["attendance"]}
    terminal = platform.call("POST", "/api/v1/auth/keys", spec, key=admin).body["key"]
    status, body = platform.post_events(
        [sign_in(ss, "SS-A1", at(start, 3)), sign_in(ss, "SS-B1", at(start, 25)),
         sign_in(ss, "SS-W1", at(start, 4))], key=terminal,
    )  # fmt: skip
    assert status == 207, body
    assert [r["event"]["data"]["status"] for r in body["results"][:2]] == ["on_time", "late"]
    assert body["results"][2]["errors"] == {"member": [f"SS-W1 is not expected at session {ss}."]}
    assert platform.post_events([quiz("ss-q", "SS-A1")], key=terminal)[0] == 403

    close = f"/api/v1/sessions/{ss}/close"
    first = platform.call("POST", close, key=east_admin)
    assert first.status == 200 and first.body["absent"] == 3, first.body
    second = platform.call("POST", close, key=admin)
    assert second.status == 200 and second.body["absent"] == 0, second.body
    for absent in ("SS-A2", "SS-A3", "SS-B2"):
        penalties = [e for e in ledger(platform, absent, admin) if e["points"] < 0]
        assert [e["points"] for e in penalties] == [-3], (absent, penalties)

    excuses = f"/api/v1/sessions/{ss}/excuses"
    reason = {"reason": "Called to a hearing at the district court."}
    sent = platform.call("POST", excuses, reason, key=staff)
    assert sent.status == 201 and sent.body["state"] == "pending", sent.body
    assert platform.call("POST", excuses, reason, key=platform.admin_key).status == 403
    approve = {"decision": "approve"}
    outside = platform.call("POST", f"{excuses}/SS-A2/decision", approve, key=west_admin)
    assert outside.status == 403, outside.body
    approved = platform.call("POST", f"{excuses}/SS-A2/decision", approve, key=east_admin)
    assert approved.status == 200 and approved.body["state"] == "approved", approved.body
    again = platform.call("POST", f"{excuses}/SS-A2/decision", approve, key=east_admin)
    assert again.status == 409
    assert platform.call("GET", f"{excuses}/SS-A2", key=staff).body["state"] == "approved"
    entries = ledger(platform, "SS-A2", staff)
    assert sum(e["points"] for e in entries) == 0  # -3 absent, 0 excused, +3 correction
    assert [e["detail"].get("kind") for e in entries if e["points"] > 0] == ["correction"]
    assert platform.call("POST", close, key=admin).body["absent"] == 0

    figures = platform.call("GET", f"/api/v1/sessions/{ss}/figures", key=staff).body
    units = {u["unit"]: u for u in figures["units"]}
    assert {k: units["ss-east-law"][k] for k in ("expected", "on_time", "excused", "absent")} == {
        "expected": 3, "on_time": 1, "excused": 1, "absent": 1}  # fmt: skip
    assert (units["ss-east-law"]["rate"], units["ss-east-tax"]["rate"]) == (0.3333, 0.5)
    assert (units["ss-east"]["expected"], units["ss-east"]["rate"]) == (5, 0.4)
    mine = platform.call("GET", "/api/v1/members/SS-A2/sessions", key=staff).body
    assert mine["items"][0]["status"] == "excused" and mine["items"][0]["excuse"] == "approved"
    assert platform.call("GET", "/api/v1/members/SS-A3/sessions", key=staff).status == 403
    platform.wait_boards_equal_ledger()


def test_the_ticker_closes_a_session_a_set_time_after_its_end(platform: Platform) -> None:
    admin = platform.admin_key
    unit = {"code": "ss-auto", "name": "Auto"}
    assert platform.call("POST", "/api/v1/units", unit, key=admin).status == 201
    for staff_no in ("SS-T1", "SS-T2"):
        body = {"staff_no": staff_no, "name": staff_no, "unit": "ss-auto"}
        assert platform.call("POST", "/api/v1/members", body, key=admin).status == 201
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    session = {"title": "Ethics", "starts_at": at(start, 0), "ends_at": at(start, 60),
               "expected": {"units": ["ss-auto"]}}  # fmt: skip
    ss = platform.call("POST", "/api/v1/sessions", session, key=admin).body["id"]
    assert platform.post_events([sign_in(ss, "SS-T1", at(start, 1))])[0] == 201

    def closed() -> bool:
        reply = platform.call("GET", f"/api/v1/sessions/{ss}", key=admin)
        return bool(reply.body["state"] == "closed")

    wait_until(closed, timeout=60, every=0.5, what="the closing job")
    figures = platform.call("GET", f"/api/v1/sessions/{ss}/figures", key=admin).body["totals"]
    assert (figures["on_time"], figures["absent"], figures["rate"]) == (1, 1, 0.5)
    assert [e["points"] for e in ledger(platform, "SS-T2", admin)] == [-3]
    platform.wait_boards_equal_ledger()
