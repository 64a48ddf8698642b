"""Points for approved reports: through the intake, priced by the rules, exactly once per
report; a re-rating after an appeal is one compensating entry; the appeal goes to another
reviewer, once."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.reports import (
    AUTHOR,
    GOOD,
    NORTH,
    POOR,
    TOP,
    ledger,
    rubric,
    scored,
    submitted,
)


def test_approval_awards_the_rating_s_points_once_with_a_reason_naming_the_report(
    org: FlaskClient,
) -> None:
    rubric(org)
    report = submitted(org)
    scored(org, report, NORTH[0], TOP)  # A: 8 points under the default rules
    entries = ledger(org)["items"]
    assert [e["points"] for e in entries] == [8]
    (entry,) = entries
    assert entry["event_id"] == f"report:{report}" and entry["category"] == "practice"
    assert f"#{report}" in entry["reason"] and "rating A" in entry["reason"]
    # Returned through an appeal and approved again at the same rating: nothing more.
    appeal = org.post(
        f"/api/v1/reports/{report}/appeal", json={"comment": "Recheck"}, headers=AUTHOR
    )
    assert appeal.status_code == 200 and appeal.get_json()["state"] == "submitted"
    sent = org.post(
        f"/api/v1/reports/{report}/return", json={"comment": "Add figures"}, headers=NORTH[1]
    )
    assert sent.status_code == 200
    assert org.post(f"/api/v1/reports/{report}/submit", headers=AUTHOR).status_code == 200
    scored(org, report, NORTH[2], TOP)
    assert ledger(org)["total_points"] == 8 and len(ledger(org)["items"]) == 1


def test_an_appeal_is_decided_by_another_reviewer_and_a_new_rating_compensates(
    org: FlaskClient,
) -> None:
    rubric(org)
    report = submitted(org)
    scored(org, report, NORTH[0], GOOD)  # B: 5
    path = f"/api/v1/reports/{report}"
    assert (
        org.post(
            f"{path}/appeal", json={"comment": "It spread to two teams."}, headers=AUTHOR
        ).status_code
        == 200
    )
    refused = org.post(f"{path}/scores", json={"scores": TOP}, headers=NORTH[0])
    assert refused.status_code == 403 and "appeal" in refused.get_json()["message"]
    done = scored(org, report, NORTH[1], TOP)  # A: 8
    assert (done["state"], done["rating"], done["appeal"]["reason"]) == (
        "approved",
        "A",
        "It spread to two teams.",
    )
    entries = ledger(org)
    assert entries["total_points"] == 8
    change = entries["items"][0]
    assert change["points"] == 3 and change["event_id"] == f"report:{report}"
    assert "re-rated A (was B)" in change["reason"] and f"#{report}" in change["reason"]
    twice = org.post(f"{path}/appeal", json={"comment": "Again"}, headers=AUTHOR)
    assert twice.status_code == 409 and "once" in twice.get_json()["message"]


def test_an_appeal_that_ends_in_rejection_takes_the_points_back(org: FlaskClient) -> None:
    rubric(org)
    report = submitted(org)
    scored(org, report, NORTH[0], GOOD)
    org.post(f"/api/v1/reports/{report}/appeal", json={"comment": "Higher?"}, headers=AUTHOR)
    done = scored(org, report, NORTH[1], POOR)
    assert done["state"] == "rejected"
    assert ledger(org)["total_points"] == 0
    assert [e["points"] for e in ledger(org)["items"]] == [-5, 5]


def test_a_rejected_report_earns_nothing_and_may_be_appealed(org: FlaskClient) -> None:
    rubric(org)
    report = submitted(org)
    scored(org, report, NORTH[0], POOR)
    assert ledger(org)["items"] == []
    org.post(f"/api/v1/reports/{report}/appeal", json={"comment": "Read it again"}, headers=AUTHOR)
    scored(org, report, NORTH[1], GOOD)
    assert ledger(org)["total_points"] == 5


def test_a_rating_the_rules_do_not_price_changes_nothing(org: FlaskClient) -> None:
    rubric(org, bands=[{"min_total": 0, "rating": "Z"}])
    report = submitted(org)
    refused = org.post(f"/api/v1/reports/{report}/scores", json={"scores": TOP}, headers=NORTH[0])
    assert refused.status_code == 422 and "Z" in refused.get_json()["message"]
    shown = org.get(f"/api/v1/reports/{report}", headers=NORTH[0]).get_json()
    assert (shown["state"], shown["scores"]) == ("submitted", [])
    assert ledger(org)["items"] == []
