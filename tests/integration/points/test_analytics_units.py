"""Units side by side (per member, by participation), the most improved, a unit's quizzes one
after another: on the organisation of analytics_org, every figure counted by hand."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.points import quizzes
from tests.integration.points.analytics_help import NORTH_ADMIN, days_ago, get
from tests.integration.points.analytics_org import WEEK, organisation


def _rows(answer: dict, *keys: str) -> list[tuple]:
    return [tuple(item[k] for k in ("unit", *keys)) for item in answer["items"]]


def test_the_top_units_side_by_side_sorted_by_each_figure(
    points_app: Flask, org: FlaskClient
) -> None:
    organisation(points_app, org)
    by_points = get(org, f"/api/v1/analytics/units?{WEEK}")
    assert by_points["sort"] == "per_capita_daily"
    # South 12 / 2 / 7 = 0.86 before north 21 / 4 / 7 = 0.75.
    assert _rows(by_points, "per_capita_daily", "activity_rate", "attendance_rate") == [
        ("south", 0.86, 1.0, 0.5),
        ("north", 0.75, 0.75, 0.5),
    ]
    by_activity = get(org, f"/api/v1/analytics/units?{WEEK}&sort=activity_rate")
    assert _rows(by_activity, "activity_rate") == [("south", 1.0), ("north", 0.75)]
    # Both 0.5: the tie is broken by the unit's code.
    by_attendance = get(org, f"/api/v1/analytics/units?{WEEK}&sort=attendance_rate")
    assert _rows(by_attendance, "attendance_rate") == [("north", 0.5), ("south", 0.5)]
    children = get(org, f"/api/v1/analytics/units?unit=north&{WEEK}")
    assert _rows(children, "members", "points", "per_capita_daily") == [("north-ops", 2, 15, 1.07)]
    second_level = get(org, f"/api/v1/analytics/units?level=2&{WEEK}")
    assert _rows(second_level, "quiz_rate", "report_rate") == [("north-ops", 0.5, 0.5)]
    assert [i["name"] for i in by_points["items"]] == ["South", "North"]
    # An admin of the north sees the north only.
    assert _rows(get(org, f"/api/v1/analytics/units?{WEEK}", NORTH_ADMIN)) == [("north",)]


def test_the_most_improved_against_the_week_before(points_app: Flask, org: FlaskClient) -> None:
    organisation(points_app, org)
    answer = get(org, f"/api/v1/analytics/improved?{WEEK}")
    assert (answer["previous_from"], answer["previous_to"]) == (
        str(days_ago(13)),
        str(days_ago(7)),
    )
    # North had N2's 100 the week before: 100 / 4 / 7 = 3.57, active 1 of 4.
    assert _rows(answer, "per_capita_before", "per_capita_daily", "change", "activity_change") == [
        ("south", 0.0, 0.86, 0.86, 1.0),
        ("north", 3.57, 0.75, -2.82, 0.5),
    ]


def test_a_unit_s_quizzes_one_after_another(points_app: Flask, org: FlaskClient) -> None:
    organisation(points_app, org)
    quizzes.make(org, "law-2", -1, 1)  # opens an hour after law-1
    attempt = quizzes.score("law-2", "N1", 50, -0.5)
    assert org.post("/api/v1/events", json=attempt, headers=quizzes.SENDER).status_code == 201
    north = get(org, f"/api/v1/analytics/quizzes?unit=north&{WEEK}")
    assert [
        (i["quiz"], i["invited"], i["took_part"], i["participation"], i["average_percent"])
        for i in north["items"]
    ] == [
        ("law-1", 4, 3, 0.75, 76.7),  # (90 + 40 + 100) / 3
        ("law-2", 4, 1, 0.25, 100.0),
    ]
    assert [(i["participation_change"], i["average_change"]) for i in north["items"]] == [
        (None, None),
        (-0.5, 23.3),
    ]
    south = get(org, f"/api/v1/analytics/quizzes?unit=south&{WEEK}")["items"]
    assert [(i["quiz"], i["took_part"], i["average_percent"]) for i in south] == [
        ("law-s", 1, 60.0)
    ]
