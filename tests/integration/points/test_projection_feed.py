"""The internal feed the leaderboards drain: outbox, acknowledgements, settled entries."""

from __future__ import annotations

from flask.testing import FlaskClient


def post_quizzes(client: FlaskClient, n: int, member: str = "S001") -> None:
    events = [
        {
            "id": f"feed-{member}-{i}",
            "type": "quiz",
            "member": member,
            "occurred_at": "2026-11-25T20:00:00+00:00",  # 26 Nov in Shanghai
            "data": {"quiz": "q", "score": 100, "max_score": 100},
        }
        for i in range(n)
    ]
    assert client.post("/api/v1/events", json={"events": events}).status_code == 201


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
    outbox = org.get("/internal/v1/outbox").get_json()["items"]
    assert org.get("/internal/v1/ledger/settled").get_json()["items"] == []
    first_two = [item["outbox_id"] for item in outbox[:2]]
    ack = org.post("/internal/v1/outbox/ack", json={"ids": first_two})
    assert ack.get_json() == {"deleted": 2}
    again = org.post("/internal/v1/outbox/ack", json={"ids": first_two})
    assert again.get_json() == {"deleted": 0}  # acknowledging twice is harmless
    settled = org.get("/internal/v1/ledger/settled").get_json()
    assert [e["id"] for e in settled["items"]] == [i["entry"]["id"] for i in outbox[:2]]
    assert settled["next_after_id"] is None
    assert len(org.get("/internal/v1/outbox").get_json()["items"]) == 1


def test_settled_pages_by_id(org: FlaskClient) -> None:
    post_quizzes(org, 5)
    ids = [i["outbox_id"] for i in org.get("/internal/v1/outbox").get_json()["items"]]
    org.post("/internal/v1/outbox/ack", json={"ids": ids})
    first = org.get("/internal/v1/ledger/settled?limit=2").get_json()
    second = org.get(f"/internal/v1/ledger/settled?limit=2&after_id={first['next_after_id']}")
    assert len(first["items"]) == 2 and len(second.get_json()["items"]) == 2


def test_directory_pages_by_staff_number(org: FlaskClient) -> None:
    page = org.get("/internal/v1/members/directory?limit=2").get_json()
    assert [m["staff_no"] for m in page["items"]] == ["S001", "S002"]
    rest = org.get(f"/internal/v1/members/directory?after={page['next_after']}").get_json()
    assert rest["items"] == [
        {"staff_no": "S003", "name": "Zhao Min", "active": False, "unit_path": ["south"]}
    ]
