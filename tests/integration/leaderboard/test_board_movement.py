"""A board page with each row's movement since the period before (``movement=true``), on a
real Redis seeded through the projection: members who rose, fell, stayed or are new, ties on
either board, hidden members left out of both, privacy, paging, and the periods without a
period before refused."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.leaderboard.keys import INACTIVE
from services.leaderboard.projection.script import apply_batch
from tests.entries import make_entry

WEEK = "period=week&at=2026-11-26&movement=true"


@pytest.fixture
def client(app: Flask, redis: Redis, lock_token: str) -> FlaskClient:
    """Week 47 of 2026 (16-22 Nov): S1 30, S9 25, S2 20, S3 20, S4 10. Week 48 (23-29 Nov):
    S4 50, S9 45, S1 40, S2 40, S5 30, S3 5. S9 has left (inactive): nobody counts them."""
    before = {"S1": 30, "S9": 25, "S2": 20, "S3": 20, "S4": 10}
    now = {"S4": 50, "S9": 45, "S1": 40, "S2": 40, "S5": 30, "S3": 5}
    entries = [
        make_entry(n, member, points, local_date=day)
        for n, (member, points, day) in enumerate(
            [(m, p, "2026-11-18") for m, p in before.items()]
            + [(m, p, "2026-11-26") for m, p in now.items()],
            start=1,
        )
    ]
    apply_batch(redis, entries, lock_token)
    redis.sadd(INACTIVE, "S9")
    return app.test_client()


def moved(client: FlaskClient, query: str, **headers: str) -> dict:
    response = client.get(f"/api/v1/leaderboard?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def rows(body: dict) -> list[tuple]:
    return [(i["rank"], i["member"], i["previous_rank"], i["rank_change"]) for i in body["items"]]


def test_each_row_says_where_it_stood_the_week_before(client: FlaskClient) -> None:
    body = moved(client, WEEK)
    assert body["period_key"] == "w2026-W48" and body["previous_period_key"] == "w2026-W47"
    assert rows(body) == [
        (1, "S4", 4, 3),  # rose from last
        (2, "S1", 1, -1),  # fell, into a tie
        (2, "S2", 2, 0),  # stayed: tied second both weeks (the hidden S9 counted by nobody)
        (4, "S5", None, None),  # new
        (5, "S3", 2, -3),
    ]


def test_the_rows_agree_with_each_member_s_own_movement(client: FlaskClient) -> None:
    for item in moved(client, WEEK)["items"]:
        own = moved_of(client, item["member"])
        assert (own["rank"], own["previous_rank"], own["rank_change"]) == (
            item["rank"],
            item["previous_rank"],
            item["rank_change"],
        )


def moved_of(client: FlaskClient, member: str) -> dict:
    answer = client.get(f"/api/v1/members/{member}/movement?period=week&at=2026-11-26")
    assert answer.status_code == 200
    return answer.get_json()


def test_a_later_page_and_a_tie_across_its_edge(client: FlaskClient) -> None:
    body = moved(client, WEEK + "&limit=2&offset=2")
    assert rows(body) == [(2, "S2", 2, 0), (4, "S5", None, None)]


def test_without_movement_the_rows_are_as_before(client: FlaskClient) -> None:
    for query in ("period=week&at=2026-11-26", "period=week&at=2026-11-26&movement=false"):
        body = moved(client, query)
        assert "previous_period_key" not in body
        assert set(body["items"][0]) == {"rank", "member", "name", "points"}


def test_a_board_of_another_scope_and_category_compares_with_its_own(
    client: FlaskClient,
) -> None:
    body = moved(client, "scope=unit:north-ops&category=attendance&" + WEEK)
    assert body["items"] == [] and body["previous_period_key"] == "w2026-W47"
    month = moved(client, "period=month&at=2026-11-26&movement=true")
    assert month["previous_period_key"] == "m2026-10"
    assert {i["rank_change"] for i in month["items"]} == {None}  # nobody had points in October


def test_under_ranks_only_others_keep_their_movement_but_not_their_names(
    client: FlaskClient,
) -> None:
    assert client.put("/api/v1/leaderboard/settings", json={"privacy": "ranks_only"}).status_code
    body = moved(client, WEEK, **{"X-Viewer": "S5"})
    assert rows(body) == [
        (1, None, 4, 3),
        (2, None, 1, -1),
        (2, None, 2, 0),
        (4, "S5", None, None),
        (5, None, 2, -3),
    ]
    assert {i["name"] for i in body["items"]} == {None, "Name of S5"}


@pytest.mark.parametrize(
    "query",
    [
        "period=all&movement=true",
        "period=last7&movement=true",
        "period=last30&at=2026-11-26&movement=true",
        "period=range&from=2026-11-20&to=2026-11-26&movement=true",
    ],
)
def test_a_period_without_one_before_refuses_movement(client: FlaskClient, query: str) -> None:
    answer = client.get(f"/api/v1/leaderboard?{query}")
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]["query"]) == ["movement"]
    assert client.get(f"/api/v1/leaderboard?{query[: -len('true')]}false").status_code == 200


@pytest.mark.parametrize("value", ["maybe", "1", "yes", ""])
def test_a_movement_that_is_not_true_or_false_is_a_422(client: FlaskClient, value: str) -> None:
    answer = client.get(f"/api/v1/leaderboard?period=week&movement={value}")
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]["query"]) == ["movement"]


def test_the_document_declares_the_parameter_and_the_fields(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    read = spec["paths"]["/api/v1/leaderboard"]["get"]
    assert "movement" in {p["name"] for p in read["parameters"]}
    schemas = spec["components"]["schemas"]
    assert {"previous_rank", "rank_change"} <= set(schemas["MovedRow"]["properties"])
