"""Reviewing practice reports: the queue of a reviewer's units, rubric scores combined from
two reviewers (a third when they disagree), and who may not review."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.points.reports import (
    AUTHOR,
    GOOD,
    NORTH,
    NORTH_ADMIN,
    ORG_ADMIN,
    OTHER,
    POOR,
    SOUTH_REVIEWER,
    TOP,
    person,
    rubric,
    scored,
    submitted,
)


def test_the_queue_holds_the_reviewer_s_units_oldest_first_with_filters(org: FlaskClient) -> None:
    rubric(org, reviewers=2)
    first, second = submitted(org), submitted(org, title="Second")
    south = submitted(org, OTHER, title="South's")
    queue = org.get("/api/v1/reports/queue", headers=NORTH[0]).get_json()
    assert [r["id"] for r in queue["items"]] == [first, second] and queue["total"] == 2
    theirs = org.get("/api/v1/reports/queue", headers=SOUTH_REVIEWER).get_json()
    assert [r["id"] for r in theirs["items"]] == [south]
    scored(org, first, NORTH[0], GOOD)  # in review now, waiting for a second reviewer
    query = "/api/v1/reports/queue?state=in_review"
    assert [r["id"] for r in org.get(query, headers=NORTH[1]).get_json()["items"]] == [first]
    assert org.get(query, headers=NORTH[0]).get_json()["items"] == []  # theirs is in
    query = "/api/v1/reports/queue?unit=south"
    assert org.get(query, headers=NORTH[0]).get_json()["items"] == []
    late = org.get(f"/api/v1/reports/{second}", headers=AUTHOR).get_json()["submitted_at"]
    query = f"/api/v1/reports/queue?submitted_since={late.replace('+', '%2B')}"
    assert [r["id"] for r in org.get(query, headers=NORTH[0]).get_json()["items"]] == [second]
    bad = org.get("/api/v1/reports/queue?unit=nowhere", headers=NORTH[0])
    assert bad.status_code == 422 and "unit" in bad.get_json()["errors"]["json"]
    assert org.get("/api/v1/reports/queue", headers=AUTHOR).status_code == 403


def test_a_reviewer_outside_the_units_and_the_author_may_not_review(org: FlaskClient) -> None:
    rubric(org)
    report = submitted(org)
    path = f"/api/v1/reports/{report}"
    outside = org.post(f"{path}/scores", json={"scores": TOP}, headers=SOUTH_REVIEWER)
    assert outside.status_code == 403 and "outside" in outside.get_json()["message"]
    assert org.get(path, headers=SOUTH_REVIEWER).status_code == 403
    for action in ("return", "reject"):
        answer = org.post(f"{path}/{action}", json={"comment": "no"}, headers=SOUTH_REVIEWER)
        assert answer.status_code == 403
    # The author holds a reviewer role over their own unit: still not theirs to review.
    own = person("S001", "reviewer@north")
    refused = org.post(f"{path}/scores", json={"scores": TOP}, headers=own)
    assert refused.status_code == 403 and "you wrote" in refused.get_json()["message"].lower()
    assert report not in [
        r["id"] for r in org.get("/api/v1/reports/queue", headers=own).json["items"]
    ]
    # An admin reads the reports of their units but does not review them.
    assert org.get(path, headers=NORTH_ADMIN).status_code == 200
    assert org.post(f"{path}/scores", json={"scores": TOP}, headers=NORTH_ADMIN).status_code == 403
    assert org.get(path, headers=AUTHOR).get_json()["state"] == "submitted"


def test_scores_are_checked_against_the_rubric(org: FlaskClient) -> None:
    rubric(org)
    report = submitted(org)
    path = f"/api/v1/reports/{report}/scores"
    for scores, field in (
        ({"relevance": 5, "effect": 5}, "spread"),
        ({**TOP, "effect": 6}, "effect"),
        ({**TOP, "style": 1}, "style"),
    ):
        answer = org.post(path, json={"scores": scores}, headers=NORTH[0])
        assert answer.status_code == 422
        assert field in answer.get_json()["errors"]["json"]["scores"]
    wrong = org.post(path, json={"scores": {**TOP, "effect": "5"}}, headers=NORTH[0])
    assert wrong.status_code == 422
    shown = org.get(f"/api/v1/reports/{report}", headers=NORTH[0]).get_json()
    assert (shown["state"], shown["scores"]) == ("submitted", [])


def test_two_reviewers_scores_combine_by_their_mean(org: FlaskClient) -> None:
    rubric(org, reviewers=2, disagreement=30)
    report = submitted(org)
    first = scored(org, report, NORTH[0], TOP)  # 100
    assert (first["state"], first["rating"]) == ("in_review", None)
    again = org.post(f"/api/v1/reports/{report}/scores", json={"scores": GOOD}, headers=NORTH[0])
    assert again.status_code == 409
    done = scored(org, report, NORTH[1], GOOD)  # 75: mean 87.5
    assert (done["state"], done["total"], done["rating"]) == ("approved", 87.5, "A")
    assert [s["reviewer"] for s in done["scores"]] == ["R001", "R002"]
    assert (
        "scores" in done
        and org.get(f"/api/v1/reports/{report}", headers=AUTHOR).get_json()["scores"] == []
    )  # the author sees the outcome, not who scored what


def test_a_large_disagreement_goes_to_a_third_reviewer_who_decides(org: FlaskClient) -> None:
    rubric(org, reviewers=2, disagreement=20)
    report = submitted(org)
    scored(org, report, NORTH[0], TOP)  # 100
    assert org.get("/api/v1/reports/queue", headers=NORTH[0]).get_json()["items"] == []
    waiting = scored(org, report, NORTH[1], POOR)  # 20: 80 apart
    assert waiting["state"] == "in_review"
    queued = org.get("/api/v1/reports/queue", headers=NORTH[2]).get_json()["items"]
    assert [r["id"] for r in queued] == [report]
    done = scored(org, report, NORTH[2], GOOD)  # 75 decides
    assert (done["state"], done["total"], done["rating"]) == ("approved", 75.0, "B")


def test_a_total_below_every_band_rejects_and_a_reviewer_rejects_with_a_reason(
    org: FlaskClient,
) -> None:
    rubric(org)
    low = submitted(org)
    done = scored(org, low, NORTH[0], POOR)  # 20: the null band
    assert done["state"] == "rejected" and "below every rating band" in done["comment"]
    other = submitted(org, title="Copied")
    answer = org.post(
        f"/api/v1/reports/{other}/reject",
        json={"comment": "Copied from a colleague."},
        headers=NORTH[0],
    )
    assert answer.status_code == 200 and answer.get_json()["comment"] == "Copied from a colleague."
    missing = org.post(f"/api/v1/reports/{other}/reject", json={}, headers=NORTH[0])
    assert missing.status_code == 422 and "comment" in missing.get_json()["errors"]["json"]


def test_a_rubric_is_versioned_and_a_report_keeps_the_one_it_was_submitted_under(
    org: FlaskClient,
) -> None:
    first = rubric(org)
    report = submitted(org)
    second = rubric(org, bands=[{"min_total": 0, "rating": "C"}])
    assert (first["version"], second["version"]) == (1, 2)
    done = scored(org, report, NORTH[0], TOP)
    assert (done["rubric"], done["rating"]) == (first["id"], "A")
    later = submitted(org, title="Later")
    assert scored(org, later, NORTH[0], TOP)["rating"] == "C"
    listed = org.get("/api/v1/report-rubrics").get_json()["items"]
    assert [r["version"] for r in listed] == [2, 1]
    bad = org.post(
        "/api/v1/report-rubrics",
        json={"name": "x", "criteria": [], "bands": [{"min_total": 0, "rating": "A"}]},
        headers={"X-Scopes": "admin"},
    )
    assert bad.status_code == 422 and "criteria" in bad.get_json()["errors"]["json"]
    refused = org.post("/api/v1/report-rubrics", json={}, headers=NORTH_ADMIN)
    assert refused.status_code in (403, 422)


@pytest.mark.parametrize("path", ["/api/v1/report-rubrics/{}", "/api/v1/reports/{}"])
def test_an_id_past_the_column_s_range_names_nothing(org: FlaskClient, path: str) -> None:
    """Ids are INTEGER (32-bit on PostgreSQL): a larger one is a 404, as the document's
    maximum says, on either database."""
    for number, status in ((2**31 - 1, 404), (2**31, 404), (2**63, 404)):
        answer = org.get(path.format(number), headers=ORG_ADMIN)
        assert answer.status_code == status, (number, answer.get_json())
