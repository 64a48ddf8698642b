"""The read API on a real Redis seeded through the projection, with the configuration in the
leaderboard's own (real) database: scopes, windows, groups, exclusions, privacy, around-me,
catch-up, movement, most improved, team standings."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.leaderboard.keys import INACTIVE, UNITS
from services.leaderboard.projection.script import apply_batch
from tests.entries import make_entry

NORTH, SOUTH = ("north", "north-ops"), ("south",)


@pytest.fixture
def client(app: Flask, redis: Redis, lock_token: str) -> FlaskClient:
    """Week 48 of 2026 (23-29 Nov) and the week before; north-ops has 3 members, south 2."""
    entries = [
        make_entry(1, "S1", 10, local_date="2026-11-26"),
        make_entry(2, "S2", 8, local_date="2026-11-26"),
        make_entry(3, "S3", 8, local_date="2026-11-25"),
        make_entry(4, "S4", 6, unit_path=SOUTH, local_date="2026-11-24"),
        make_entry(5, "S5", -2, unit_path=SOUTH, local_date="2026-11-24", category="attendance"),
        make_entry(6, "S3", 20, local_date="2026-11-18"),  # the week before: S3 led it
        make_entry(7, "S1", 1, local_date="2026-11-17"),
    ]
    apply_batch(redis, entries, lock_token)
    redis.hset(
        UNITS,
        mapping={
            "S1": "north/north-ops",
            "S2": "north/north-ops",
            "S3": "north/north-ops",
            "S4": "south",
            "S5": "south",
        },
    )
    return app.test_client()


def get(client: FlaskClient, path: str, **headers: str) -> dict:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ranks(body: dict) -> list[tuple]:
    return [(i["rank"], i["member"], i["points"]) for i in body["items"]]


def test_rolling_and_campaign_windows_sum_day_boards(client: FlaskClient) -> None:
    body = get(client, "/api/v1/leaderboard?period=last7&at=2026-11-24")
    assert body["period_key"] == "last7-2026-11-24"
    assert ranks(body) == [(1, "S3", 20), (2, "S4", 6), (3, "S5", -2)]  # 18-24 Nov
    body = get(client, "/api/v1/leaderboard?period=range&from=2026-11-25&to=2026-11-26")
    assert ranks(body) == [(1, "S1", 10), (2, "S2", 8), (2, "S3", 8)]
    bad = client.get("/api/v1/leaderboard?period=range&from=2026-11-26&to=2026-11-01")
    assert bad.status_code == 422 and "to" in bad.get_json()["errors"]["query"]


def test_groups_exclusions_and_inactive_members(client: FlaskClient, redis: Redis) -> None:
    group = {"code": "cadres", "name": "Leading cadres", "members": ["S2", "S4"]}
    assert client.post("/api/v1/leaderboard/groups", json=group).status_code == 201
    body = get(client, "/api/v1/leaderboard?scope=group:cadres&period=week&at=2026-11-26")
    assert ranks(body) == [(1, "S2", 8), (2, "S4", 6)]
    test_accounts = {"code": "tests", "name": "Test accounts", "excluded": True, "members": ["S1"]}
    assert client.post("/api/v1/leaderboard/groups", json=test_accounts).status_code == 201
    redis.sadd(INACTIVE, "S3")  # what sync_member does for a departed member
    body = get(client, "/api/v1/leaderboard?period=week&at=2026-11-26")
    assert body["total"] == 3 and ranks(body) == [(1, "S2", 8), (2, "S4", 6), (3, "S5", -2)]
    standing = get(client, "/api/v1/members/S4/standing?period=week&at=2026-11-26")
    assert (standing["rank"], standing["total"], standing["percentile"]) == (2, 3, 50.0)
    assert get(client, "/api/v1/members/S1/standing")["rank"] is None  # its ledger is intact
    patch = {"remove": ["S1"]}
    assert client.patch("/api/v1/leaderboard/groups/tests", json=patch).status_code == 200
    assert ranks(get(client, "/api/v1/leaderboard?limit=1"))[0][1] == "S1"


def test_privacy_shows_only_the_viewer_s_own_name(client: FlaskClient) -> None:
    assert (
        client.put("/api/v1/leaderboard/settings", json={"privacy": "ranks_only"}).status_code
        == 200
    )
    body = get(client, "/api/v1/leaderboard?period=week&at=2026-11-26", **{"X-Viewer": "S2"})
    assert [(i["rank"], i["member"], i["name"]) for i in body["items"][:3]] == [
        (1, None, None),
        (2, "S2", "Name of S2"),
        (2, None, None),
    ]
    admin = get(client, "/api/v1/leaderboard?period=week&at=2026-11-26", **{"X-Scopes": "admin"})
    assert admin["items"][0]["member"] == "S1"
    bad = client.put("/api/v1/leaderboard/settings", json={"privacy": "nobody"})
    assert bad.status_code == 422


def test_around_me_at_the_top_the_middle_and_the_bottom(client: FlaskClient) -> None:
    q = "period=week&at=2026-11-26&span=1"
    assert [i["member"] for i in get(client, f"/api/v1/members/S1/around?{q}")["items"]] == [
        "S1",
        "S2",
    ]
    assert [i["member"] for i in get(client, f"/api/v1/members/S3/around?{q}")["items"]] == [
        "S2",
        "S3",
        "S4",
    ]
    assert [i["member"] for i in get(client, f"/api/v1/members/S5/around?{q}")["items"]] == [
        "S4",
        "S5",
    ]
    assert get(client, f"/api/v1/members/S9/around?{q}")["items"] == []


def test_catch_up_names_the_gap_to_the_next_rank(client: FlaskClient) -> None:
    body = get(client, "/api/v1/members/S4/catch-up?period=week&at=2026-11-26")
    assert body["rank"] == 4 and body["next"]["rank"] == 2 and body["next"]["gap"] == 2
    assert get(client, "/api/v1/members/S1/catch-up?period=week&at=2026-11-26")["next"] is None


def test_movement_and_most_improved(client: FlaskClient) -> None:
    moved = get(client, "/api/v1/members/S3/movement?period=week&at=2026-11-26")
    assert (moved["previous_rank"], moved["rank"], moved["movement"]) == (1, 2, "down")
    assert get(client, "/api/v1/members/S2/movement?period=week&at=2026-11-26")["movement"] == "new"
    improved = get(client, "/api/v1/leaderboard/improved?period=week&at=2026-11-26")
    assert [(i["rank"], i["member"], i["gain"]) for i in improved["items"][:3]] == [
        (1, "S1", 9),
        (2, "S2", 8),
        (3, "S4", 6),
    ]
    by_rank = get(client, "/api/v1/leaderboard/improved?period=week&at=2026-11-26&by=rank")
    assert [(i["member"], i["gain"]) for i in by_rank["items"]] == [("S1", 1), ("S3", -1)]


def test_team_standings_per_member_participation_and_total(client: FlaskClient) -> None:
    q = "period=week&at=2026-11-26"
    per_member = get(client, f"/api/v1/leaderboard/teams?{q}")["items"]
    assert [(t["rank"], t["unit"], t["per_member"]) for t in per_member] == [
        (1, "north", 8.67),
        (2, "south", 2.0),
    ]
    participation = get(client, f"/api/v1/leaderboard/teams?{q}&by=participation")["items"]
    assert [(t["unit"], t["participation"]) for t in participation] == [
        ("north", 100.0),
        ("south", 50.0),  # S5 only lost points: no learning activity
    ]
    inside = get(client, f"/api/v1/leaderboard/teams?{q}&parent=north&by=total")["items"]
    assert [(t["unit"], t["points"], t["members"]) for t in inside] == [("north-ops", 26, 3)]
    both = get(client, f"/api/v1/leaderboard/compare?{q}&units=north&units=south")["units"]
    assert [t["unit"] for t in both] == ["north", "south"]
    members = get(client, f"/api/v1/leaderboard/compare?{q}&members=S1&members=S4")["members"]
    assert [(m["member"], m["rank"]) for m in members] == [("S1", 1), ("S4", 4)]


def test_every_standing_of_a_member_in_one_call(client: FlaskClient) -> None:
    body = get(client, "/api/v1/members/S2/standings?at=2026-11-26")
    found = {(i["scope"], i["period"]): (i["rank"], i["points"]) for i in body["items"]}
    assert found[("org", "week")] == (2, 8)
    assert found[("unit:north-ops", "day")] == (2, 8)
    assert found[("unit:north", "last30")] == (3, 8)
    assert found[("org", "all")] == (3, 8)
    assert len(body["items"]) == 3 * 8
    some = get(client, "/api/v1/members/S2/standings?at=2026-11-26&periods=all&periods=week")
    assert [(i["scope"], i["period"]) for i in some["items"][:2]] == [
        ("org", "all"),
        ("org", "week"),
    ]
    assert len(some["items"]) == 3 * 2
    assert client.get("/api/v1/members/S2/standings?periods=range").status_code == 422


def test_ranks_only_keeps_another_member_s_points_from_a_member(client: FlaskClient) -> None:
    """Asking by staff number must not undo the blank name: each view that singles out a
    member is the member's own (and the admins') under ranks_only."""
    q = "period=week&at=2026-11-26"
    as_s2 = {"X-Viewer": "S2"}
    views = ("standing", "standings", "around", "catch-up", "movement", "history")
    for view in views:
        assert client.get(f"/api/v1/members/S1/{view}?{q}", headers=as_s2).status_code == 200
    assert client.put("/api/v1/leaderboard/settings", json={"privacy": "ranks_only"}).status_code
    for view in views:
        other = client.get(f"/api/v1/members/S1/{view}?{q}", headers=as_s2)
        assert other.status_code == 403, (view, other.get_json())
        assert "ranks_only" in other.get_json()["message"]
        assert client.get(f"/api/v1/members/S2/{view}?{q}", headers=as_s2).status_code == 200
        admin = client.get(f"/api/v1/members/S1/{view}?{q}", headers={"X-Scopes": "admin"})
        assert admin.status_code == 200
    compare = "/api/v1/leaderboard/compare?members=S1&members=S2&" + q
    assert client.get(compare, headers=as_s2).status_code == 403
    units = get(client, "/api/v1/leaderboard/compare?units=north&units=south&" + q, **as_s2)
    assert len(units["units"]) == 2  # units have no names to hide
    assert get(client, compare, **{"X-Scopes": "admin"})["members"][0]["points"] == 10


def test_a_group_nobody_made_is_a_404_on_every_board_view(client: FlaskClient) -> None:
    q = "scope=group:nobody&period=week&at=2026-11-26"
    paths = (
        "/api/v1/leaderboard",
        "/api/v1/leaderboard/improved",
        "/api/v1/leaderboard/compare?members=S1&members=S2",
        "/api/v1/members/S1/standing",
        "/api/v1/members/S1/around",
        "/api/v1/members/S1/catch-up",
        "/api/v1/members/S1/movement",
    )
    for path in paths:
        answer = client.get(path + ("&" if "?" in path else "?") + q)
        assert answer.status_code == 404, (path, answer.get_json())
        assert "nobody" in answer.get_json()["message"]


def test_compare_takes_at_most_twenty_names(client: FlaskClient) -> None:
    many = "&".join(f"members=S{n}" for n in range(21))
    answer = client.get("/api/v1/leaderboard/compare?" + many)
    assert answer.status_code == 422 and "members" in answer.get_json()["errors"]["query"]
    assert client.get("/api/v1/leaderboard/compare?members=").status_code == 422


def test_a_reviewer_reads_a_member_s_history_inside_their_units_only(client: FlaskClient) -> None:
    reviewer = {"X-Viewer": "R1", "X-Roles": "reviewer@north staff"}
    assert client.get("/api/v1/members/S1/history", headers=reviewer).status_code == 200
    refused = client.get("/api/v1/members/S4/history", headers=reviewer)
    assert refused.status_code == 403 and "S4" in refused.get_json()["message"]
    own = {"X-Viewer": "S4", "X-Roles": "staff"}
    assert client.get("/api/v1/members/S4/history", headers=own).status_code == 200
    everywhere = {"X-Viewer": "R1", "X-Roles": "reviewer staff"}
    assert client.get("/api/v1/members/S4/history", headers=everywhere).status_code == 200
    assert client.get("/api/v1/members/S4/history").status_code == 200  # a system's key
