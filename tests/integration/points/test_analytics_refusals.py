"""The figures are for admins, each within their units; bad parameters are 422s naming the
parameter, and change nothing."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.points.analytics_help import (
    NORTH_ADMIN,
    NORTH_REVIEWER,
    ORG_ADMIN,
    STAFF,
    grow,
)

PATHS = ("funnel", "units", "improved", "trend", "drifting", "quizzes")


@pytest.mark.parametrize("path", PATHS)
def test_a_member_or_a_reviewer_is_refused(org: FlaskClient, path: str) -> None:
    for headers in (STAFF, NORTH_REVIEWER):
        answer = org.get(f"/api/v1/analytics/{path}", headers=headers)
        assert answer.status_code == 403, answer.get_json()
        assert "admins" in answer.get_json()["message"]


def test_an_admin_of_a_region_reads_inside_it_only(org: FlaskClient) -> None:
    for path in ("funnel", "trend", "quizzes", "units", "improved"):
        inside = org.get(f"/api/v1/analytics/{path}?unit=north-ops", headers=NORTH_ADMIN)
        assert inside.status_code == 200, (path, inside.get_json())
        outside = org.get(f"/api/v1/analytics/{path}?unit=south", headers=NORTH_ADMIN)
        assert outside.status_code == 403, (path, outside.get_json())
    # The whole organisation is its admins' only.
    assert org.get("/api/v1/analytics/funnel", headers=NORTH_ADMIN).status_code == 403
    assert org.get("/api/v1/analytics/trend", headers=NORTH_ADMIN).status_code == 403


def test_only_an_admin_of_the_member_s_unit_marks_a_leader(org: FlaskClient) -> None:
    grow(org)
    refused = org.put("/api/v1/members/S002/leader", headers=NORTH_ADMIN)
    assert refused.status_code == 403
    assert org.get("/api/v1/members/S002").get_json()["leader"] is True  # unchanged
    assert org.put("/api/v1/members/S001/leader", headers=NORTH_ADMIN).status_code == 200
    assert org.put("/api/v1/members/S001/leader", headers=STAFF).status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("funnel?from=2026-13-01", "from"),
        ("funnel?to=yesterday", "to"),
        ("funnel?from=2026-12-05&to=2026-12-01", "to"),
        ("funnel?from=2025-01-01&to=2026-12-01", "to"),
        ("funnel?from=2099-01-01", "from"),
        ("funnel?unit=nowhere", "unit"),
        ("funnel?unit=not a code", "unit"),
        ("units?sort=points", "sort"),
        ("units?level=0", "level"),
        ("improved?level=21", "level"),
        ("trend?by=day", "by"),
        ("trend?count=0", "count"),
        ("trend?count=53", "count"),
        ("drifting?weeks=0", "weeks"),
        ("drifting?weeks=many", "weeks"),
        ("quizzes?to=2026-02-30", "to"),
    ],
)
def test_bad_parameters_name_the_parameter(org: FlaskClient, query: str, field: str) -> None:
    answer = org.get(f"/api/v1/analytics/{query}", headers=ORG_ADMIN)
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]["query"]) == [field]
