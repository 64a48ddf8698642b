"""Figures over weeks: the trend of the last weeks, and the units whose activity stayed under
the organisation's median, from ledger entries on known days of past weeks."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.points.analytics_help import (
    NORTH_ADMIN,
    SOUTH_ADMIN,
    credit,
    get,
    grow,
    local_today,
)


def _weeks(points_app: Flask, org: FlaskClient) -> None:
    """On the Wednesday of each of the three weeks before this one, one point each for:

    3 weeks ago: S001, O1, S002 -> north 2/4, north-ops 2/2, south 1/2: median 0.5, none under;
    2 weeks ago: N1, S002, W1 -> north 1/4, north-ops 0/2, south 2/2: median 0.25, ops under;
    last week: N1, N2, S002 -> north 2/4, north-ops 0/2, south 1/2: median 0.5, ops under.
    """
    grow(org)
    monday = local_today() - timedelta(days=local_today().weekday())
    for back, people in (
        (3, ("S001", "O1", "S002")),
        (2, ("N1", "S002", "W1")),
        (1, ("N1", "N2", "S002")),
    ):
        for staff_no in people:
            credit(points_app, staff_no, monday - timedelta(weeks=back) + timedelta(days=2), 1)


def test_units_under_the_median_in_each_of_the_last_weeks(
    points_app: Flask, org: FlaskClient
) -> None:
    _weeks(points_app, org)
    two = get(org, "/api/v1/analytics/drifting?weeks=2")
    assert [w["median"] for w in two["weeks"]] == [0.25, 0.5]
    assert [(i["unit"], i["activity_rates"]) for i in two["items"]] == [("north-ops", [0.0, 0.0])]
    assert get(org, "/api/v1/analytics/drifting?weeks=3")["items"] == []  # ops led 3 weeks ago
    assert [i["unit"] for i in get(org, "/api/v1/analytics/drifting?weeks=1")["items"]] == [
        "north-ops"
    ]
    assert [
        i["unit"] for i in get(org, "/api/v1/analytics/drifting?weeks=2", NORTH_ADMIN)["items"]
    ] == ["north-ops"]
    assert get(org, "/api/v1/analytics/drifting?weeks=2", SOUTH_ADMIN)["items"] == []
    # Four weeks ago no one was active: every unit at the median of 0, none under it.
    assert get(org, "/api/v1/analytics/drifting")["items"] == []


def test_the_trend_of_the_last_weeks(points_app: Flask, org: FlaskClient) -> None:
    _weeks(points_app, org)
    today = local_today()
    answer = get(org, "/api/v1/analytics/trend?unit=north&count=3")
    assert (answer["unit"], answer["by"]) == ("north", "week")
    assert [
        (i["per_capita_daily"], i["activity_rate"], i["attendance_rate"]) for i in answer["items"]
    ] == [
        (0.04, 0.25, None),  # N1's 1 point: 1 / 4 / 7
        (0.07, 0.5, None),  # 2 / 4 / 7
        (0.0, 0.0, None),  # this week, so far
    ]
    assert answer["items"][-1]["to"] == str(today)
    assert answer["items"][-1]["days"] == today.weekday() + 1
    months = get(org, "/api/v1/analytics/trend?by=month&count=2")["items"]
    assert [i["to"] for i in months][-1] == str(today)
    assert months[-1]["from"] == str(today.replace(day=1))
