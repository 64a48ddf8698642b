"""One event flows from a sender through the gateway to the ledger and the leaderboards."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.harness import Platform, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def org(platform: Platform, admin_key: str) -> dict[str, str]:
    for unit in (
        {"code": "e2e-north", "name": "North"},
        {"code": "e2e-north-ops", "name": "North ops", "parent": "e2e-north"},
        {"code": "e2e-south", "name": "South"},
    ):
        assert platform.call("POST", "/api/v1/units", unit, key=admin_key)[0] == 201
    members = {"E001": "e2e-north-ops", "E002": "e2e-north-ops", "E003": "e2e-south"}
    for staff_no, unit in members.items():
        body = {"staff_no": staff_no, "name": f"Member {staff_no}", "unit": unit}
        assert platform.call("POST", "/api/v1/members", body, key=admin_key)[0] == 201
    return members


def attendance(member: str, status: str = "on_time", event_id: str | None = None) -> dict:
    return {
        "id": event_id or uuid.uuid4().hex,
        "type": "attendance",
        "member": member,
        "occurred_at": "2026-11-24T09:00:00+08:00",
        "data": {"status": status, "session": "study-2026-11-24"},
    }


def standing(platform: Platform, key: str, member: str, **query: str) -> dict[str, Any]:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    status, body, _ = platform.call("GET", f"/api/v1/members/{member}/standing?{params}", key=key)
    assert status == 200, body
    return body


def ledger_total(platform: Platform, key: str, member: str) -> int:
    status, body, _ = platform.call("GET", f"/api/v1/members/{member}/ledger", key=key)
    assert status == 200, body
    return int(body["total_points"])


def ledger_entries(platform: Platform, key: str, member: str) -> tuple[int, int]:
    """How many entries a member's ledger holds, and their sum."""
    status, body, _ = platform.call("GET", f"/api/v1/members/{member}/ledger", key=key)
    assert status == 200, body
    return int(body["total"]), int(body["total_points"])


def board_shows(platform: Platform, key: str, member: str, points: int, **query: str) -> bool:
    return wait_until(lambda: standing(platform, key, member, **query)["points"] == points)


def test_an_event_posted_with_a_key_reaches_the_leaderboard(
    platform: Platform, org: dict, sender_key: str, reader_key: str
) -> None:
    status, body, _ = platform.call("POST", "/api/v1/events", attendance("E001"), key=sender_key)
    assert status == 201, body
    assert body["entries"][0]["points"] == 2
    assert board_shows(platform, reader_key, "E001", 2)
    assert board_shows(
        platform,
        reader_key,
        "E001",
        2,
        scope="unit:e2e-north",
        period="month",
        at="2026-11-24",
        category="attendance",
    )
    status, board, _ = platform.call(
        "GET", "/api/v1/leaderboard?scope=unit:e2e-north-ops", key=reader_key
    )
    assert status == 200
    assert board["items"][0]["member"] == "E001"
    assert board["items"][0]["name"] == "Member E001"


def test_a_replay_and_twenty_racing_posts_award_once(
    platform: Platform, org: dict, sender_key: str, reader_key: str
) -> None:
    before = ledger_total(platform, reader_key, "E002")
    event = attendance("E002")

    def post(_: int) -> int:
        return platform.call("POST", "/api/v1/events", event, key=sender_key)[0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = sorted(pool.map(post, range(20)))
    assert statuses == [200] * 19 + [201]
    assert post(0) == 200
    assert ledger_total(platform, reader_key, "E002") == before + 2
    assert board_shows(platform, reader_key, "E002", before + 2)


def test_a_bad_event_gets_422_and_changes_nothing(
    platform: Platform, org: dict, sender_key: str, reader_key: str
) -> None:
    before = ledger_total(platform, reader_key, "E003")
    bad = attendance("E003", status="asleep")
    status, body, _ = platform.call("POST", "/api/v1/events", bad, key=sender_key)
    assert status == 422
    assert body["code"] == 422 and "status" in body["errors"]["json"]["data"]
    unknown = platform.call("POST", "/api/v1/events", attendance("NOBODY"), key=sender_key)
    assert unknown[0] == 422 and "member" in unknown[1]["errors"]["json"]
    assert ledger_total(platform, reader_key, "E003") == before


@pytest.mark.parametrize("header", [None, "Bearer lk_wrong_key", "Basic abc"])
def test_no_key_or_a_wrong_key_gets_401_and_changes_nothing(
    platform: Platform, org: dict, reader_key: str, header: str | None
) -> None:
    before = ledger_entries(platform, reader_key, "E001")
    headers = {"Authorization": header} if header else {}
    event = attendance("E001")
    status, body, _ = platform.call("POST", "/api/v1/events", event, key="", **headers)
    assert status == 401
    assert body["code"] == 401 and body["status"] == "Unauthorized"
    assert ledger_entries(platform, reader_key, "E001") == before


def test_a_key_without_the_scope_gets_403_and_changes_nothing(
    platform: Platform, org: dict, reader_key: str
) -> None:
    before = ledger_entries(platform, reader_key, "E001")
    status, body, _ = platform.call("POST", "/api/v1/events", attendance("E001"), key=reader_key)
    assert status == 403 and body["code"] == 403
    assert ledger_entries(platform, reader_key, "E001") == before


def test_the_combined_api_document_and_docs_page(platform: Platform) -> None:
    status, spec, _ = platform.call("GET", "/api/openapi.json")
    assert status == 200
    paths = set(spec["paths"])
    assert {"/api/v1/events", "/api/v1/leaderboard", "/api/v1/rulesets"} <= paths
    assert not any(p.startswith("/internal") for p in paths)
    page = platform.http.request("GET", platform.base_url + "/api/docs")
    assert page.status == 200 and b"swagger" in page.data.lower()


def test_the_ledger_explains_itself_in_the_readers_language_through_the_gateway(
    platform: Platform, org: dict, sender_key: str, reader_key: str
) -> None:
    event = attendance("E003")
    assert platform.call("POST", "/api/v1/events", event, key=sender_key)[0] == 201
    said = {}
    for language in ("zh-CN", "en", None):
        headers = {"Accept-Language": language} if language else {}
        status, body, _ = platform.call(
            "GET", "/api/v1/members/E003/ledger", key=reader_key, **headers
        )
        assert status == 200, body
        mine = next(e for e in body["items"] if e["event_id"] == event["id"])
        said[language] = mine["explanation"]
    assert said["en"] == "Attendance at session study-2026-11-24: on time: +2 points (rule set v1)"
    assert said["zh-CN"] == "出勤：场次 study-2026-11-24 准时：+2 分（规则 v1）"
    assert said[None] == said["zh-CN"]
