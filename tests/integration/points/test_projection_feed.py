"""The internal feeds of the leaderboards: outbox, acknowledgements, settled sums, directory."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.outbox import post_quizzes, settle


def test_outbox_entries_carry_what_the_boards_need(org: FlaskClient) -> None:
    post_quizzes(org, 2)
    items = org.get("/internal/v1/outbox?limit=1").get_json()["items"]
    assert len(items) == 1
    entry = items[0]["entry"]
    assert entry["unit_path"] == ["north", "north-ops"]
    assert entry["member_name"] == "Li Na"
    assert entry["local_date"] == "2026-11-26"
    assert (entry["category"], entry["points"]) == ("quiz", 10)


def test_acknowledged_entries_become_settled(org: FlaskClient) -> None:
    post_quizzes(org, 3)
    empty = org.get("/internal/v1/ledger/settled-sums").get_json()
    assert empty == {"items": [], "entries": 0, "next_after_id": None}
    settle(org, 2)
    settled = org.get("/internal/v1/ledger/settled-sums").get_json()
    assert settled["entries"] == 2 and settled["next_after_id"] is None
    assert settled["items"] == [
        {
            "unit_path": ["north", "north-ops"],
            "category": "quiz",
            "local_date": "2026-11-26",
            "members": ["S001"],
            "points": [20],
            "earned": ["S001"],
        }
    ]
    assert len(org.get("/internal/v1/outbox").get_json()["items"]) == 1


def test_settled_sums_page_by_id_and_filter_by_day(org: FlaskClient) -> None:
    post_quizzes(org, 5)
    ids = settle(org)
    first = org.get("/internal/v1/ledger/settled-sums?limit=2").get_json()
    assert first["entries"] == 2 and first["items"][0]["points"] == [20]
    assert first["next_after_id"] == ids[1]
    second = org.get(f"/internal/v1/ledger/settled-sums?limit=3&after_id={ids[1]}").get_json()
    assert second["entries"] == 3 and second["next_after_id"] == ids[4]
    last = org.get(f"/internal/v1/ledger/settled-sums?after_id={ids[4]}").get_json()
    assert last == {"items": [], "entries": 0, "next_after_id": None}
    other_days = "/internal/v1/ledger/settled-sums?from_date=2026-11-27&to_date=2026-12-31"
    assert org.get(other_days).get_json()["entries"] == 0
    that_day = "/internal/v1/ledger/settled-sums?from_date=2026-11-26&to_date=2026-11-26"
    assert org.get(that_day).get_json()["entries"] == 5


def test_directory_pages_by_staff_number(org: FlaskClient) -> None:
    page = org.get("/internal/v1/members/directory?limit=2").get_json()
    assert [m["staff_no"] for m in page["items"]] == ["S001", "S002"]
    rest = org.get(f"/internal/v1/members/directory?after={page['next_after']}").get_json()
    assert rest["items"] == [
        {"staff_no": "S003", "name": "Zhao Min", "active": False, "unit_path": ["south"]}
    ]
