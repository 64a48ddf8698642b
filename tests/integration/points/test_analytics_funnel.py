"""A unit's funnel on a real database: a small organisation where every figure is counted by
hand (members, a closed and an open session, quizzes with attempts, reports in three states,
points from the default rules and entries on known days), leaders beside their staff."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.points.analytics_help import ORG_ADMIN, days_ago, get, grow
from tests.integration.points.analytics_org import WEEK, organisation


def test_the_funnel_of_a_region_counts_everything_below_it(
    points_app: Flask, org: FlaskClient
) -> None:
    organisation(points_app, org)
    north = get(org, f"/api/v1/analytics/funnel?unit=north&{WEEK}")
    assert (north["unit"], north["days"]) == ("north", 7)
    assert north["all"] == {
        "members": 4,  # N1, N2, S001, O1
        "expected": 4,
        "attended": 2,  # N1 on time, S001 late
        "attendance_rate": 0.5,
        "took_quiz": 3,
        "mastered": 2,  # N1 45/50 = 90%, S001 50/50; N2 20/50 is not
        "quiz_rate": 0.75,
        "reported": 2,  # S001 (approved, exemplary), N2 (waiting)
        "approved": 1,
        "exemplary": 1,
        "report_rate": 0.5,
        "points": 21,  # N1 2+6, N2 -3+1, S001 0+10+8, O1 -3
        "per_capita_daily": 0.75,  # 21 / 4 members / 7 days
        "active": 3,  # O1's only entry is a deduction for an absence
        "activity_rate": 0.75,
    }
    leaders, staff = north["leaders"], north["staff"]
    assert (leaders["members"], leaders["attended"], leaders["attendance_rate"]) == (1, 1, 1.0)
    assert (leaders["points"], leaders["per_capita_daily"]) == (8, 1.14)  # 8 / 1 / 7
    assert (staff["members"], staff["expected"], staff["attendance_rate"]) == (3, 3, 0.3333)
    assert (staff["points"], staff["per_capita_daily"], staff["activity_rate"]) == (
        13,
        0.62,
        0.6667,
    )


def test_the_whole_organisation_and_a_unit_with_an_open_session(
    points_app: Flask, org: FlaskClient
) -> None:
    organisation(points_app, org)
    south = get(org, f"/api/v1/analytics/funnel?unit=south&{WEEK}")["all"]
    # The open session expects S002 and W1 now; W1 signed in.
    assert (south["members"], south["expected"], south["attended"]) == (2, 2, 1)
    assert (south["took_quiz"], south["mastered"]) == (1, 0)
    assert (south["reported"], south["approved"], south["exemplary"]) == (1, 0, 0)
    assert (south["points"], south["per_capita_daily"]) == (12, 0.86)  # 2 + 3 + 7 over 2 x 7
    assert (south["active"], south["activity_rate"]) == (2, 1.0)
    everyone = get(org, f"/api/v1/analytics/funnel?{WEEK}")
    assert everyone["unit"] is None
    whole = everyone["all"]
    assert (whole["members"], whole["expected"], whole["attended"]) == (6, 6, 3)
    assert (whole["points"], whole["per_capita_daily"]) == (33, 0.79)  # 33 / 6 / 7
    assert (whole["active"], whole["activity_rate"]) == (5, 0.8333)
    ops = get(org, f"/api/v1/analytics/funnel?unit=north-ops&{WEEK}")["all"]
    assert (ops["members"], ops["points"], ops["per_capita_daily"]) == (2, 15, 1.07)
    # The week before holds N2's 100 points and nothing else.
    before = get(org, f"/api/v1/analytics/funnel?unit=north&from={days_ago(13)}&to={days_ago(7)}")
    assert (before["all"]["points"], before["all"]["expected"], before["all"]["active"]) == (
        100,
        0,
        1,
    )
    assert before["all"]["attendance_rate"] is None


def test_a_leader_is_marked_and_unmarked_in_the_member_s_data(org: FlaskClient) -> None:
    grow(org)
    assert get(org, "/api/v1/members/N1")["leader"] is True
    assert get(org, "/api/v1/members/N2")["leader"] is False
    done = org.delete("/api/v1/members/N1/leader", headers=ORG_ADMIN)
    assert done.status_code == 200 and done.get_json()["leader"] is False
    assert org.delete("/api/v1/members/N1/leader", headers=ORG_ADMIN).status_code == 200
    assert get(org, "/api/v1/members/N1")["leader"] is False
    assert org.put("/api/v1/members/nobody/leader", headers=ORG_ADMIN).status_code == 404
