"""Quiz figures: per quiz and unit (invited, took part, passed on the best attempt, average,
deciles), and a member's quizzes over time with the change from one to the next."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.quizzes import NORTH_REVIEWER, SENDER, make, score, staff


def deciles(*filled: int) -> list[int]:
    counts = [0] * 10
    for bucket in filled:
        counts[bucket] += 1
    return counts


def test_figures_per_quiz_and_unit_count_each_member_s_best_attempt(org: FlaskClient) -> None:
    for staff_no, unit in (("N1", "north"), ("N2", "north"), ("N3", "north"), ("N5", "north-ops")):
        member = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert org.post("/api/v1/members", json=member).status_code == 201
    make(org, "fig", -3, 1)  # for north and below: S001, N1, N2, N3, N5
    scores = [("S001", 20), ("S001", 45), ("N1", 30), ("N2", 10), ("N5", 50)]
    events = [score("fig", m, v, -2 + i / 10) for i, (m, v) in enumerate(scores)]
    events.append(score("fig", "S002", 50, -1))  # not invited: refused, not counted
    answer = org.post("/api/v1/events", json={"events": events}, headers=SENDER).get_json()
    assert answer["accepted"] == 5 and answer["rejected"] == 1, answer

    figures = org.get("/api/v1/quizzes/fig/figures", headers=staff("S002")).get_json()
    overall = {
        "unit": None,
        "invited": 5,
        "took_part": 4,
        "passed": 3,  # 45, 30 and 50 reach the pass mark of 30; S001's first 20 does not count
        "average_score": 33.75,
        "average_percent": 67.5,
        "distribution": [
            {"from_percent": 10 * i, "to_percent": 10 * i + 10, "count": count}
            for i, count in enumerate(deciles(2, 6, 9, 9))
        ],
    }
    assert figures["overall"] == overall
    assert figures["units"] == [{**overall, "unit": "north"}]
    assert (figures["max_score"], figures["pass_mark"]) == (50, 30)

    north = org.get("/api/v1/quizzes/fig/figures?unit=north").get_json()
    assert north["overall"] == {**overall, "unit": "north"}
    [ops] = north["units"]
    assert (ops["unit"], ops["invited"], ops["took_part"], ops["passed"]) == ("north-ops", 2, 2, 2)
    assert (ops["average_score"], ops["average_percent"]) == (47.5, 95.0)
    south = org.get("/api/v1/quizzes/fig/figures?unit=south").get_json()["overall"]
    assert (south["invited"], south["took_part"], south["average_percent"]) == (0, 0, None)
    assert org.get("/api/v1/quizzes/fig/figures?unit=nowhere").status_code == 404
    assert org.get("/api/v1/quizzes/nothing/figures").status_code == 404


def test_a_member_s_quizzes_over_time_show_the_change(org: FlaskClient) -> None:
    make(org, "week-1", -24 * 5, -24 * 4)  # kept after the fact: the window is in the past
    make(org, "week-2", -3, 1)
    make(org, "week-3", -2, 1, units=["south"])
    events = [
        score("week-1", "S001", 25, -24 * 4.5),
        score("week-2", "S001", 40, -2),
        score("week-2", "S001", 45, -1),
        score("week-3", "S002", 10, -1),
    ]
    assert org.post("/api/v1/events", json={"events": events}, headers=SENDER).status_code == 201

    own = org.get("/api/v1/members/S001/quizzes", headers=staff("S001"))
    assert own.status_code == 200, own.get_json()
    items = own.get_json()["items"]
    assert [(i["quiz"], i["percent"], i["change"], i["passed"]) for i in items] == [
        ("week-1", 50.0, None, False),
        ("week-2", 90.0, 40.0, True),
    ]
    assert (items[1]["attempts"], items[1]["best_score"], items[1]["max_score"]) == (2, 45, 50)
    last = org.get("/api/v1/members/S001/quizzes?limit=1").get_json()["items"]
    assert [(i["quiz"], i["change"]) for i in last] == [("week-2", 40.0)]
    assert org.get("/api/v1/members/S001/quizzes", headers=NORTH_REVIEWER).status_code == 200
    other = org.get("/api/v1/members/S001/quizzes", headers=staff("S002"))
    assert other.status_code == 403
    outside = org.get("/api/v1/members/S002/quizzes", headers=NORTH_REVIEWER)
    assert outside.status_code == 403
    assert org.get("/api/v1/members/S404/quizzes").status_code == 404
