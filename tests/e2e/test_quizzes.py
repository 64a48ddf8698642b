"""A pop quiz for one region through the real gateway, with real people: a region's admin keeps
it, staff cannot see it before it opens, a quiz platform's scores inside its window reach the
boards and those outside it (or from another region) are refused, the figures add up; staff
and an admin outside their region are refused what is not theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.harness import Platform
from tests.harness.people import cli_admin, settled

UNITS = (("qz-north", None), ("qz-north-ops", "qz-north"), ("qz-south", None))
MEMBERS = (("QZ-1", "qz-north-ops"), ("QZ-2", "qz-north"), ("QZ-3", "qz-south"))


def at(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")


def quiz(code: str, opens: float, closes: float, unit: str, pop: bool) -> dict[str, Any]:
    return {
        "id": code, "title": code, "opens_at": at(opens), "closes_at": at(closes),
        "max_score": 50, "pass_mark": 30, "units": [unit], "pop": pop,
    }  # fmt: skip


def scored(code: str, member: str, value: int, hours: float) -> dict[str, Any]:
    data = {"quiz": code, "score": value}
    return {"id": f"{code}-{member}-{hours}", "type": "quiz", "member": member,
            "occurred_at": at(hours), "data": data}  # fmt: skip


def people(platform: Platform) -> dict[str, str]:
    """Tokens: the organisation's admin, the north region's admin, two members of staff."""
    admin = cli_admin(platform, "QZ-ADMIN")
    for code, parent in UNITS:
        unit = {"code": code, "name": code, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status in (201, 409)
    for staff_no, unit in (*MEMBERS, ("QZ-RA", "qz-north")):
        member = {"staff_no": staff_no, "name": f"Name {staff_no}", "unit": unit}
        assert platform.call("POST", "/api/v1/members", member, key=admin).status in (201, 409)
    tokens = {"admin": admin}
    for staff_no, role in (("QZ-RA", "admin"), ("QZ-1", None), ("QZ-3", None)):
        made = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no}, key=admin)
        assert made.status == 201, made.body
        if role:
            grant = {"role": role, "unit": "qz-north"}
            path = f"/api/v1/auth/accounts/{staff_no}/roles"
            assert platform.call("POST", path, grant, key=admin).status == 200
        tokens[staff_no] = settled(platform, staff_no, made.body["one_time_password"])
    return tokens


def test_a_pop_quiz_for_one_region_from_keeping_to_figures(platform: Platform) -> None:
    tokens = people(platform)
    region, staff = tokens["QZ-RA"], tokens["QZ-1"]
    refused = platform.call(
        "POST", "/api/v1/quizzes", quiz("qz-x", 1, 2, "qz-north", True), key=staff
    )
    assert refused.status == 403, refused.body
    outside = platform.call(
        "POST", "/api/v1/quizzes", quiz("qz-s", -1, 1, "qz-south", True), key=region
    )
    assert outside.status == 403 and "qz-south" in outside.body["message"], outside.body
    for code, opens in (("qz-pop", -1.0), ("qz-pop-later", 1.0)):
        made = platform.call(
            "POST", "/api/v1/quizzes", quiz(code, opens, opens + 2, "qz-north", True), key=region
        )
        assert made.status == 201, made.body

    # Before it opens a pop quiz is no member of staff's business; its admins see it coming.
    listed = platform.call("GET", "/api/v1/quizzes", key=staff).body["items"]
    assert {q["id"] for q in listed} >= {"qz-pop"} and "qz-pop-later" not in {
        q["id"] for q in listed
    }
    assert platform.call("GET", "/api/v1/quizzes/qz-pop-later", key=staff).status == 404
    assert platform.call("GET", "/api/v1/quizzes/qz-pop-later", key=region).status == 200
    assert (
        platform.call("GET", "/api/v1/quizzes/qz-pop-later", key=platform.reader_key).status == 404
    )

    inside = [scored("qz-pop", "QZ-1", 45, -0.5), scored("qz-pop", "QZ-2", 30, -0.25)]
    late = scored("qz-pop", "QZ-1", 50, -2)  # before it opened
    stranger = scored("qz-pop", "QZ-3", 50, -0.5)
    status, body = platform.post_events([*inside, late, stranger])
    assert status == 207 and body["accepted"] == 2, body
    by_position = {r["index"]: r for r in body["results"]}
    window = by_position[2]["errors"]["occurred_at"][0]
    assert "Outside the window of quiz 'qz-pop'" in window and "(Asia/Shanghai)" in window
    assert "QZ-3" in by_position[3]["errors"]["member"][0]

    platform.wait_boards_equal_ledger()
    board = platform.call("GET", "/api/v1/leaderboard?scope=unit:qz-north&category=quiz", key=staff)
    assert [(r["member"], r["points"]) for r in board.body["items"]] == [("QZ-1", 6), ("QZ-2", 3)]

    figures = platform.call("GET", "/api/v1/quizzes/qz-pop/figures", key=tokens["QZ-3"])
    assert figures.status == 200, figures.body
    overall = figures.body["overall"]
    assert (overall["invited"], overall["took_part"], overall["passed"]) == (3, 2, 2)
    assert (overall["average_score"], overall["average_percent"]) == (37.5, 75.0)
    assert [b["count"] for b in overall["distribution"]] == [0, 0, 0, 0, 0, 0, 1, 0, 0, 1]

    mine = platform.call("GET", "/api/v1/members/QZ-1/quizzes", key=staff)
    assert [(i["quiz"], i["percent"]) for i in mine.body["items"]] == [("qz-pop", 90.0)]
    assert platform.call("GET", "/api/v1/members/QZ-2/quizzes", key=staff).status == 403
    assert platform.call("GET", "/api/v1/members/QZ-2/quizzes", key=region).status == 200
    assert platform.call("GET", "/api/v1/members/QZ-3/quizzes", key=region).status == 403

    document = platform.call("GET", "/api/openapi.json", key="").body
    assert {"/api/v1/quizzes", "/api/v1/quizzes/{quiz_id}/figures"} <= set(document["paths"])
