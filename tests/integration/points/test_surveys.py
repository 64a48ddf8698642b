"""Pulse surveys end to end in the points service: shares and the trend hand-computed over two
rounds, answering once, the five-answer threshold, and who may look."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.surveys import (
    NORTH,
    NORTH_ADMIN,
    ORG_ADMIN,
    SOUTH,
    SOUTH_ADMIN,
    SURVEYS,
    close,
    make_survey,
    open_round,
    organisation,
    reply,
    staff,
)


def _shares(result: dict, key: str) -> dict[str, float]:
    question = next(q for q in result["questions"] if q["key"] == key)
    return {o["key"]: o["percent"] for o in question["options"]}


def _question(result: dict, key: str) -> dict:
    return next(q for q in result["questions"] if q["key"] == key)


def test_shares_per_option_and_the_trend_across_two_rounds(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    assert open_round(client, ["north"]).status_code == 201
    # Round 1, five north answers. linked: 5, 4, 3, 2, 4 -> favourable (4 or 5) 3 of 5 = 60.0.
    given = [
        (5, "weekly", ["time", "plan"], "More time"),
        (4, "weekly", ["time"], ""),
        (3, "monthly", ["plan", "purpose"], "A clear plan"),
        (2, "rarely", ["time"], ""),
        (4, "monthly", ["purpose"], "Apply it"),
    ]
    for staff_no, (linked, often, factors, ideas) in zip(NORTH, given, strict=False):
        answer = reply(
            client, staff_no, 1, linked=linked, often=often, factors=factors, ideas=ideas
        )
        assert answer.status_code == 201, answer.get_json()
    first = client.get(f"{SURVEYS}/pulse/rounds/1/results", headers=ORG_ADMIN).get_json()
    assert (first["answers"], first["shown"], first["min_answers"]) == (5, True, 5)
    assert _shares(first, "linked") == {"1": 0.0, "2": 20.0, "3": 20.0, "4": 40.0, "5": 20.0}
    assert _question(first, "linked")["favourable_percent"] == 60.0
    # often: weekly 2, monthly 2, rarely 1 of 5; favourable (weekly) 40.0.
    assert _shares(first, "often") == {"weekly": 40.0, "monthly": 40.0, "rarely": 20.0}
    assert _question(first, "often")["favourable_percent"] == 40.0
    # factors (several each): time 3, plan 2, purpose 2 of 5 people; no favourable options.
    assert _shares(first, "factors") == {"time": 60.0, "plan": 40.0, "purpose": 40.0}
    assert _question(first, "factors")["favourable_percent"] is None
    # Free text: the three given, sorted (never in the order they came).
    ideas = _question(first, "ideas")
    assert (ideas["answered"], ideas["texts"]) == (3, ["A clear plan", "Apply it", "More time"])
    assert close(client, 1).get_json()["state"] == "closed"

    assert open_round(client, ["north"]).status_code == 201
    # Round 2, six north answers (N7 sits in north itself). linked 5,5,4,4,3,1 -> 4 of 6 = 66.7;
    # often weekly 2 of 6 = 33.3, monthly 1 = 16.7, rarely 3 = 50.0.
    second = [(5, "weekly"), (5, "rarely"), (4, "weekly"), (4, "rarely"), (3, "monthly")]
    for staff_no, (linked, often) in zip(NORTH, second, strict=False):
        assert (
            reply(client, staff_no, 2, linked=linked, often=often, factors=["time"]).status_code
            == 201
        )
    assert reply(client, "N7", 2, linked=1, often="rarely", factors=["plan"]).status_code == 201
    result = client.get(f"{SURVEYS}/pulse/rounds/2/results", headers=ORG_ADMIN).get_json()
    assert _shares(result, "often") == {"weekly": 33.3, "monthly": 16.7, "rarely": 50.0}
    assert _question(result, "linked")["favourable_percent"] == 66.7
    # Per unit: north (all six) and north-ops (five); the round was not for south.
    rows = {
        row["unit"]: (row["answers"], row["favourable"].get("linked")) for row in result["units"]
    }
    # north-ops: 5, 5, 4, 4, 3 -> 4 of 5 = 80.0.
    assert rows == {"north": (6, 66.7), "north-ops": (5, 80.0)}

    trend = client.get(f"{SURVEYS}/pulse/trend", headers=ORG_ADMIN).get_json()
    assert [r["answers"] for r in trend["rounds"]] == [5, 6]
    linked = next(q for q in trend["questions"] if q["key"] == "linked")
    assert linked["favourable_percent"] == [60.0, 66.7]
    often = next(q for q in trend["questions"] if q["key"] == "often")
    assert often["favourable_percent"] == [40.0, 33.3]
    assert [q["key"] for q in trend["questions"]] == ["linked", "often"]
    ops = client.get(f"{SURVEYS}/pulse/trend?unit=north-ops", headers=NORTH_ADMIN).get_json()
    assert next(q for q in ops["questions"] if q["key"] == "linked")["favourable_percent"] == [
        60.0,
        80.0,
    ]


def test_a_member_answers_a_round_once(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    open_round(client, ["north"])
    listed = client.get(f"{SURVEYS}/open", headers=staff("N1")).get_json()["items"]
    assert [(r["survey"], r["number"], r["answered"]) for r in listed] == [("pulse", 1, False)]
    assert reply(client, "N1", 1, linked=4, often="weekly", factors=["time"]).status_code == 201
    again = reply(client, "N1", 1, linked=1, often="rarely", factors=["plan"])
    assert again.status_code == 409, again.get_json()
    listed = client.get(f"{SURVEYS}/open", headers=staff("N1")).get_json()["items"]
    assert listed[0]["answered"] is True
    # The round is not for south; nobody's open list there holds it.
    assert client.get(f"{SURVEYS}/open", headers=staff("S1")).get_json()["items"] == []
    assert reply(client, "S1", 1, linked=4, often="weekly", factors=["time"]).status_code == 403
    # A system's key answers nothing.
    keyed = client.post(f"{SURVEYS}/pulse/rounds/1/answers", json={"answers": {}})
    assert keyed.status_code == 403
    close(client, 1)
    late = reply(client, "N2", 1, linked=4, often="weekly", factors=["time"])
    assert late.status_code == 409, late.get_json()
    # Only one set of answers was kept, without who gave it.
    result = client.get(f"{SURVEYS}/pulse/rounds/1/results", headers=ORG_ADMIN).get_json()
    assert result["answers"] == 1


def test_a_unit_is_shown_only_from_five_answers(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    open_round(client, ["south"])
    for staff_no in SOUTH[:4]:
        assert (
            reply(client, staff_no, 1, linked=5, often="weekly", factors=["time"]).status_code
            == 201
        )
    path = f"{SURVEYS}/pulse/rounds/1/results?unit=south"
    four = client.get(path, headers=SOUTH_ADMIN).get_json()
    assert (four["answers"], four["shown"], four["questions"]) == (4, False, [])
    assert four["units"] == [
        {"unit": "south", "name": "South", "answers": 4, "shown": False, "favourable": {}}
    ]
    trend = client.get(f"{SURVEYS}/pulse/trend?unit=south", headers=SOUTH_ADMIN).get_json()
    assert trend["questions"][0]["favourable_percent"] == [None]
    assert reply(client, SOUTH[4], 1, linked=2, often="rarely", factors=["plan"]).status_code == 201
    five = client.get(path, headers=SOUTH_ADMIN).get_json()
    assert (five["answers"], five["shown"]) == (5, True)
    assert _question(five, "linked")["favourable_percent"] == 80.0  # 4 of 5


def test_another_units_admin_and_a_member_are_refused(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    open_round(client, ["south"])
    results = f"{SURVEYS}/pulse/rounds/1/results"
    assert client.get(f"{results}?unit=south", headers=NORTH_ADMIN).status_code == 403
    # The whole round is the top's: a subtree's admin names a unit of theirs.
    assert client.get(results, headers=NORTH_ADMIN).status_code == 403
    assert client.get(f"{SURVEYS}/pulse/trend?unit=south", headers=NORTH_ADMIN).status_code == 403
    assert close(client, 1, NORTH_ADMIN).status_code == 403
    assert client.get(f"{results}?unit=south", headers=staff("S1")).status_code == 403
    assert client.get(f"{results}?unit=north", headers=NORTH_ADMIN).status_code == 200
    close(client, 1, SOUTH_ADMIN)
    assert open_round(client, ["south"], headers=NORTH_ADMIN).status_code == 403
    assert open_round(client, ["north"], headers=NORTH_ADMIN).status_code == 201


def test_a_repeating_round_makes_the_next_when_closed(client: FlaskClient) -> None:
    organisation(client)
    make_survey(client)
    body = {"opens_at": "2030-01-31T09:00:00", "closes_at": "2030-02-14T18:00:00"}
    made = open_round(client, ["north"], repeat="quarter", **body)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["opens_at"] == "2030-01-31T01:00:00+00:00"  # 09:00 in UTC+8
    assert close(client, 1).get_json()["state"] == "closed"
    rounds = client.get(f"{SURVEYS}/pulse", headers=ORG_ADMIN).get_json()["rounds"]
    # Three months on in local time; 31 April does not exist, so the month's last day.
    assert [(r["number"], r["state"], r["repeat"]) for r in rounds] == [
        (1, "closed", "quarter"),
        (2, "upcoming", "quarter"),
    ]
    assert rounds[1]["opens_at"] == "2030-04-30T01:00:00+00:00"
    assert rounds[1]["closes_at"] == "2030-05-14T10:00:00+00:00"
    assert rounds[1]["units"] == ["north"]
    # Still upcoming: a new round cannot open beside it.
    assert open_round(client, ["north"]).status_code == 409
