"""Leaderboards through the gateway, on the real platform: every standing of a member, around
me, catch-up, team standings, exclusions, privacy, and a verify that finds no drift."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.harness import Platform, wait_until

pytestmark = pytest.mark.e2e

UNITS = (
    {"code": "lbe-a", "name": "Region A"},
    {"code": "lbe-a1", "name": "A one", "parent": "lbe-a"},
    {"code": "lbe-b", "name": "Region B"},
    {"code": "lbe-b1", "name": "B one", "parent": "lbe-b"},
)
MEMBERS = {"L001": "lbe-a1", "L002": "lbe-a1", "L003": "lbe-b1", "L004": "lbe-b1"}
# staff number -> (type, data): quiz 100% earns 10, 92% earns 6, attendance on time 2.
EARNINGS = {
    "L001": [
        ("quiz", {"quiz": "q", "score": 100, "max_score": 100}),
        ("attendance", {"status": "on_time", "session": "s1"}),
    ],
    "L002": [("quiz", {"quiz": "q", "score": 92, "max_score": 100})],
    "L003": [("attendance", {"status": "on_time", "session": "s1"})],
    "L004": [("quiz", {"quiz": "q", "score": 100, "max_score": 100})],
}
EXPECTED = {"L001": 12, "L002": 6, "L003": 2, "L004": 10}


@pytest.fixture(scope="module")
def boards(platform: Platform, admin_key: str, sender_key: str, reader_key: str) -> Platform:
    for unit in UNITS:
        assert platform.call("POST", "/api/v1/units", unit, key=admin_key)[0] == 201
    for staff_no, unit in MEMBERS.items():
        body = {"staff_no": staff_no, "name": f"Name {staff_no}", "unit": unit}
        assert platform.call("POST", "/api/v1/members", body, key=admin_key)[0] == 201
    events = [
        {
            "id": uuid.uuid4().hex,
            "type": kind,
            "member": staff_no,
            "occurred_at": "2026-11-24T10:00:00+08:00",
            "data": data,
        }
        for staff_no, earned in EARNINGS.items()
        for kind, data in earned
    ]
    status, body, _ = platform.call("POST", "/api/v1/events", {"events": events}, key=sender_key)
    assert status == 201, body

    def projected() -> bool:
        return all(
            points(platform, reader_key, m, "unit:" + MEMBERS[m]) == p for m, p in EXPECTED.items()
        )

    assert wait_until(projected)
    return platform


def get(platform: Platform, key: str, path: str, **headers: str) -> dict[str, Any]:
    status, body, _ = platform.call("GET", path, key=key, **headers)
    assert status == 200, (path, body)
    return body


def points(platform: Platform, key: str, member: str, scope: str) -> int:
    body = get(platform, key, f"/api/v1/members/{member}/standing?scope={scope}")
    return int(body["points"])


def test_a_member_sees_every_standing_in_one_call(boards: Platform, reader_key: str) -> None:
    body = get(boards, reader_key, "/api/v1/members/L001/standings?at=2026-11-24")
    mine = {(i["scope"], i["period"]): i for i in body["items"]}
    assert {"org", "unit:lbe-a", "unit:lbe-a1"} <= {scope for scope, _ in mine}
    assert mine[("unit:lbe-a", "all")]["rank"] == 1
    assert mine[("unit:lbe-a", "week")]["points"] == 12
    assert mine[("unit:lbe-a1", "month")]["period_key"] == "m2026-11"


def test_around_me_and_catch_up(boards: Platform, reader_key: str) -> None:
    around = get(boards, reader_key, "/api/v1/members/L002/around?scope=unit:lbe-a&span=1")
    assert [(r["rank"], r["member"]) for r in around["items"]] == [(1, "L001"), (2, "L002")]
    catch_up = get(boards, reader_key, "/api/v1/members/L002/catch-up?scope=unit:lbe-a")
    assert catch_up["next"]["member"] == "L001" and catch_up["next"]["gap"] == 6
    # What remains today comes from the points process, behind the leaderboard's own.
    assert catch_up["remaining_today_unavailable"] is None, catch_up
    assert catch_up["message"].startswith("6 points behind #1; today's ")


def test_units_are_compared_fairly_per_member(boards: Platform, reader_key: str) -> None:
    body = get(boards, reader_key, "/api/v1/leaderboard/teams?by=per_member")
    rows = {row["unit"]: row for row in body["items"] if row["unit"].startswith("lbe-")}
    assert set(rows) == {"lbe-a", "lbe-b"}
    assert rows["lbe-a"]["rank"] < rows["lbe-b"]["rank"]  # 18 / 2 members against 12 / 2


def test_an_excluded_group_leaves_the_boards_and_comes_back(
    boards: Platform, admin_key: str, reader_key: str
) -> None:
    group = {"code": "lbe-testers", "name": "Test accounts", "excluded": True, "members": ["L001"]}
    assert boards.call("POST", "/api/v1/leaderboard/groups", group, key=admin_key)[0] == 201
    try:
        board = get(boards, reader_key, "/api/v1/leaderboard?scope=unit:lbe-a")
        assert [(r["rank"], r["member"]) for r in board["items"]] == [(1, "L002")]
    finally:
        status, _, _ = boards.call(
            "DELETE", "/api/v1/leaderboard/groups/lbe-testers", key=admin_key
        )
        assert status == 204
    board = get(boards, reader_key, "/api/v1/leaderboard?scope=unit:lbe-a")
    assert [r["member"] for r in board["items"]] == ["L001", "L002"]


def test_ranks_only_privacy_shows_a_member_only_their_own_name(
    boards: Platform, admin_key: str, reader_key: str
) -> None:
    path = "/api/v1/leaderboard/settings"
    assert boards.call("PUT", path, {"privacy": "ranks_only"}, key=admin_key)[0] == 200
    try:
        board = get(
            boards, reader_key, "/api/v1/leaderboard?scope=unit:lbe-a", **{"X-Viewer": "L002"}
        )
        assert [(r["rank"], r["member"], r["name"]) for r in board["items"]] == [
            (1, None, None),
            (2, "L002", "Name L002"),
        ]
        as_admin = get(boards, admin_key, "/api/v1/leaderboard?scope=unit:lbe-a")
        assert as_admin["items"][0]["name"] == "Name L001"
    finally:
        assert boards.call("PUT", path, {"privacy": "names"}, key=admin_key)[0] == 200


def test_admin_actions_need_the_admin_scope(boards: Platform, reader_key: str) -> None:
    status, body, _ = boards.call("POST", "/api/v1/leaderboard/verify", {}, key=reader_key)
    assert status == 403 and body["code"] == 403


def test_verify_finds_the_boards_equal_to_the_ledger(boards: Platform, admin_key: str) -> None:
    status, job, _ = boards.call("POST", "/api/v1/leaderboard/verify", {}, key=admin_key)
    assert status == 202, job

    def finished() -> dict[str, Any] | None:
        body = get(boards, admin_key, f"/api/v1/leaderboard/jobs/{job['job_id']}")
        return body if body["status"] in ("finished", "failed") else None

    result = wait_until(finished, timeout=60)
    assert result and result["status"] == "finished", result
    assert result["result"]["drift"] == 0
