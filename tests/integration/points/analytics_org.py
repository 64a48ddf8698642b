"""The small organisation the figures tests count by hand: over the last seven days, a closed
and an open session, two quizzes, three reports, and two entries on known days.

North: N1 (leader), N2; below it north-ops: S001, O1. South: S002 (leader), W1; S003 inactive.
Points in the week: N1 2+6, N2 -3+1, S001 0+10+8, O1 -3, W1 2+3, S002 7 (north 21, south 12);
the day before the week N2 earns 100.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.points import quizzes, reports
from tests.integration.points.analytics_help import credit, days_ago, grow
from tests.integration.points.sessions_help import at_minutes, schedule, sign_in

WEEK = f"from={days_ago(6)}&to={days_ago(0)}"


def _sessions(client: FlaskClient) -> None:
    north = schedule(client, ["north"], grace_minutes=5)  # N1, N2, S001, O1
    south = schedule(client, ["south"], grace_minutes=5)  # S002, W1 (S003 is inactive)
    signs = [
        sign_in(north["id"], "N1", at_minutes(north, 0)),  # on time: 2 points
        sign_in(north["id"], "S001", at_minutes(north, 20)),  # late: 0
        sign_in(south["id"], "W1", at_minutes(south, 0)),  # on time: 2
    ]
    assert client.post("/api/v1/events", json={"events": signs}).status_code == 201
    # Closing records N2 and O1 absent (-3 each); the south session stays open.
    assert client.post(f"/api/v1/sessions/{north['id']}/close").status_code == 200


def _quizzes(client: FlaskClient) -> None:
    quizzes.make(client, "law-1", -3, 1)  # for north, of 50
    quizzes.make(client, "law-s", -3, 1, units=["south"])
    attempts = [
        quizzes.score("law-1", "N1", 45, -2),  # 90%: mastered, 6 points
        quizzes.score("law-1", "N2", 20, -2),  # 40%: 1 point
        quizzes.score("law-1", "S001", 50, -2),  # 100%: mastered, 10 points
        quizzes.score("law-s", "W1", 30, -2),  # 60%: 3 points
    ]
    answer = client.post("/api/v1/events", json={"events": attempts}, headers=quizzes.SENDER)
    assert answer.status_code == 201, answer.get_json()


def _reports(client: FlaskClient) -> None:
    reports.rubric(client)
    approved = reports.submitted(client, reports.person("S001"))
    reports.scored(client, approved, reports.NORTH[0], reports.TOP)  # A: 8 points
    marked = client.post(f"/api/v1/reports/{approved}/exemplary", headers=reports.NORTH[1])
    assert marked.status_code == 200, marked.get_json()
    reports.submitted(client, reports.person("N2"), title="Waiting for review")
    rejected = reports.submitted(client, reports.person("W1"), title="Too thin")
    reports.scored(client, rejected, reports.SOUTH_REVIEWER, reports.POOR)


def organisation(points_app: Flask, org: FlaskClient) -> None:
    grow(org)
    _sessions(org)
    _quizzes(org)
    _reports(org)
    credit(points_app, "S002", days_ago(3), 7)  # in the week: S002 is active
    credit(points_app, "N2", days_ago(7), 100)  # the day before the week: not counted
