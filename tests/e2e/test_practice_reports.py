"""Practice reports through the real gateway with real people: a report walked from draft
through two reviewers' rubric scores to approval, its points once on the boards, a near copy
flagged with its match, an appeal decided by another reviewer, and the forbidden paths
(a reviewer outside their units, an author reviewing their own, someone reading another's
draft, a system's key)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.harness import Platform

PASSWORD = "a long e2e password"
BODY: dict[str, Any] = {
    "title": "Checking every document at the first visit",
    "learned": {"kind": "course", "text": "Administrative procedure, part two"},
    "applied": "At the counter we now check each applicant's documents against the list "
    "from the course and write down what is missing before they leave.",
    "result": "Second visits fell from about forty a week to twelve within a month.",
}
RUBRIC = {
    "name": "e2e practice",
    "reviewers": 2,
    "disagreement": 30,
    "criteria": [
        {"code": "relevance", "title": "Relevance", "max": 5, "weight": 1},
        {"code": "effect", "title": "Effect on the work", "max": 5, "weight": 2},
    ],
    "bands": [
        {"min_total": 85, "rating": "A"},
        {"min_total": 60, "rating": "B"},
        {"min_total": 0, "rating": None},
    ],
}
TOP, GOOD, FAIR = (
    {"relevance": 5, "effect": 5},
    {"relevance": 4, "effect": 4},
    {"relevance": 3, "effect": 3},
)  # 100, 80, 60


def signed_in(platform: Platform, staff_no: str, first: str) -> str:
    def sign_in(password: str) -> dict[str, Any]:
        body = {"staff_no": staff_no, "password": password}
        answer = platform.call("POST", "/api/v1/auth/sign-in", body, key="")
        assert answer.status == 200, answer.body
        return dict(answer.body)

    token = sign_in(first)["access_token"]
    change = {"old_password": first, "new_password": PASSWORD}
    assert platform.call("POST", "/api/v1/auth/password", change, key=token).status == 204
    return str(sign_in(PASSWORD)["access_token"])


def first_admin(platform: Platform, staff_no: str) -> str:
    flask = str(Path(sys.executable).parent / "flask")
    args = [flask, "--app", "gateway", "accounts", "create-admin", "--staff-no", staff_no]
    out = subprocess.run(args, env=dict(platform.env), check=True, capture_output=True, text=True)
    return signed_in(platform, staff_no, out.stdout.strip().splitlines()[-1])


def people(platform: Platform, admin: str) -> dict[str, str]:
    """Units, members and their accounts: authors, four reviewers of north, one of south."""
    for code, parent in (("rp-north", None), ("rp-ops", "rp-north"), ("rp-south", None)):
        unit = {"code": code, "name": code, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status in (201, 409)
    cast = {
        "RP-1": ("rp-ops", ""),
        "RP-2": ("rp-south", ""),
        **{f"RP-R{i}": ("rp-north", "rp-north") for i in (1, 2, 3)},
        "RP-S": ("rp-south", "rp-south"),
    }
    tokens = {}
    for staff_no, (unit, reviews) in cast.items():
        member = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert platform.call("POST", "/api/v1/members", member, key=admin).status in (201, 409)
        made = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no}, key=admin)
        assert made.status == 201, made.body
        if reviews:
            role = {"role": "reviewer", "unit": reviews}
            path = f"/api/v1/auth/accounts/{staff_no}/roles"
            assert platform.call("POST", path, role, key=admin).status == 200
        tokens[staff_no] = signed_in(platform, staff_no, made.body["one_time_password"])
    return tokens


def submitted(platform: Platform, token: str, **changes: Any) -> int:
    made = platform.call("POST", "/api/v1/reports", {**BODY, **changes}, key=token)
    assert made.status == 201, made.body
    sent = platform.call("POST", f"/api/v1/reports/{made.body['id']}/submit", key=token)
    assert sent.status == 200, sent.body
    return int(made.body["id"])


def score(platform: Platform, token: str, report: int, scores: dict[str, int]) -> Any:
    return platform.call("POST", f"/api/v1/reports/{report}/scores", {"scores": scores}, key=token)


def test_a_report_walks_from_draft_through_two_reviewers_to_points_once(
    platform: Platform,
) -> None:
    admin = first_admin(platform, "RP-ADMIN")
    who = people(platform, admin)
    assert platform.call("POST", "/api/v1/report-rubrics", RUBRIC, key=admin).status == 201
    original = submitted(platform, who["RP-2"])

    draft = platform.call("POST", "/api/v1/reports", BODY, key=who["RP-1"])
    assert draft.status == 201 and draft.body["state"] == "draft", draft.body
    path = f"/api/v1/reports/{draft.body['id']}"
    peek = platform.call("GET", path, key=who["RP-2"])
    assert peek.status == 403 and "draft" in peek.body["message"]
    title = {"title": "Checking all documents at the first visit"}
    assert platform.call("PATCH", path, title, key=who["RP-1"]).status == 200
    assert platform.call("POST", f"{path}/submit", key=who["RP-1"]).status == 200
    report = int(draft.body["id"])

    queue = platform.call("GET", "/api/v1/reports/queue", key=who["RP-R1"]).body["items"]
    assert [r["id"] for r in queue] == [report]
    seen = platform.call("GET", path, key=who["RP-R1"]).body
    assert seen["near_copy"]["report"] == original and seen["near_copy"]["author"] == "RP-2"
    assert seen["near_copy"]["similarity"] >= 85

    outside = score(platform, who["RP-S"], report, TOP)
    assert outside.status == 403 and "outside" in outside.body["message"]
    own = submitted(platform, who["RP-R3"], title="A reviewer's own report", result="Other.")
    mine = score(platform, who["RP-R3"], own, TOP)
    assert mine.status == 403 and "you wrote" in mine.body["message"].lower()
    for key in (platform.reader_key, platform.admin_key):
        refused = platform.call("GET", "/api/v1/reports", key=key)
        assert refused.status == 403 and "person" in refused.body["message"]

    assert score(platform, who["RP-R1"], report, GOOD).body["state"] == "in_review"
    done = score(platform, who["RP-R2"], report, FAIR).body  # mean 70: B
    assert (done["state"], done["rating"], done["total"]) == ("approved", "B", 70.0), done
    _points_once(platform, who["RP-1"], report, admin)

    appeal = {"comment": "The change spread to the two other counters."}
    assert platform.call("POST", f"{path}/appeal", appeal, key=who["RP-1"]).status == 200
    again = score(platform, who["RP-R1"], report, TOP)
    assert again.status == 403 and "appeal" in again.body["message"]
    decided = score(platform, who["RP-R3"], report, TOP).body
    assert (decided["state"], decided["rating"]) == ("approved", "A"), decided
    entries = _points_once(platform, who["RP-1"], report, admin)
    assert "re-rated A (was B)" in entries[0]["reason"]
    moves = platform.call("GET", f"{path}/transitions", key=who["RP-1"]).body["items"]
    assert [m["to"] for m in moves] == [
        "draft", "submitted", "in_review", "approved", "submitted", "in_review", "approved",
    ]  # fmt: skip


def _points_once(platform: Platform, token: str, report: int, admin: str) -> list[Any]:
    """The report's entries all hang on its one event, and the boards hold the ledger."""
    ledger = platform.call("GET", "/api/v1/members/RP-1/ledger", key=token).body
    ours = [e for e in ledger["items"] if e["event_id"] == f"report:{report}"]
    assert ours and ours == ledger["items"] and ledger["total_points"] > 0, ledger
    totals = platform.wait_boards_equal_ledger()
    assert totals["RP-1"] == ledger["total_points"]
    return ours
