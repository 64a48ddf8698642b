"""A practice report's life as its author sees it: drafts, submission, the states it may and
may not move through, and every move recorded."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.integration.points.quizzes import make as make_quiz
from tests.integration.points.reports import (
    AUTHOR,
    BODY,
    NORTH,
    OTHER,
    draft,
    rubric,
    scored,
    submitted,
)
from tests.integration.points.sessions_help import schedule


def test_a_member_writes_edits_and_deletes_a_draft(org: FlaskClient) -> None:
    report = draft(org)
    path = f"/api/v1/reports/{report}"
    shown = org.get(path, headers=AUTHOR).get_json()
    assert (shown["state"], shown["author"], shown["unit"]) == ("draft", "S001", "north-ops")
    assert shown["learned"] == {"kind": "course", "ref": "C-2026-11", "text": ""}
    changed = org.patch(path, json={"title": "One visit"}, headers=AUTHOR)
    assert changed.status_code == 200 and changed.get_json()["title"] == "One visit"
    listed = org.get("/api/v1/reports", headers=AUTHOR).get_json()
    assert [r["id"] for r in listed["items"]] == [report]
    assert org.delete(path, headers=AUTHOR).status_code == 204
    assert org.get(path, headers=AUTHOR).status_code == 404


def test_bad_reports_are_refused_naming_the_field(org: FlaskClient) -> None:
    for body, where in (
        ({**BODY, "learned": {"kind": "quiz"}}, ("learned", "ref")),
        ({**BODY, "learned": {"kind": "topic"}}, ("learned", "text")),
        ({**BODY, "learned": {"kind": "book", "ref": "x"}}, ("learned", "kind")),
        ({**BODY, "links": ["ftp://x"]}, ("links",)),
        ({k: v for k, v in BODY.items() if k != "applied"}, ("applied",)),
    ):
        answer = org.post("/api/v1/reports", json=body, headers=AUTHOR)
        assert answer.status_code == 422, body
        errors = answer.get_json()["errors"]["json"]
        for key in where:
            errors = errors[key] if not isinstance(errors, list) else errors
        assert errors
    assert org.get("/api/v1/reports", headers=AUTHOR).get_json()["total"] == 0


def test_a_session_or_quiz_learned_from_is_one_the_platform_keeps(org: FlaskClient) -> None:
    study = schedule(org, ["north"])["id"]
    make_quiz(org, "law-1", 1, 2)
    for learned in ({"kind": "session", "ref": study}, {"kind": "quiz", "ref": "law-1"}):
        made = org.post("/api/v1/reports", json={**BODY, "learned": learned}, headers=AUTHOR)
        assert made.status_code == 201, made.get_json()
        assert made.get_json()["learned"] == {**learned, "text": ""}
    report = made.get_json()["id"]
    for learned in (
        {"kind": "session", "ref": "ss-999"},
        {"kind": "session", "ref": "S-2026-11"},
        {"kind": "quiz", "ref": "law-2"},
    ):
        answer = org.post("/api/v1/reports", json={**BODY, "learned": learned}, headers=AUTHOR)
        assert answer.status_code == 422, learned
        assert list(answer.get_json()["errors"]["json"]["learned"]) == ["ref"]
        changed = org.patch(f"/api/v1/reports/{report}", json={"learned": learned}, headers=AUTHOR)
        assert changed.status_code == 422 and "learned" in changed.get_json()["errors"]["json"]
    assert org.get("/api/v1/reports", headers=AUTHOR).get_json()["total"] == 2
    shown = org.get(f"/api/v1/reports/{report}", headers=AUTHOR).get_json()
    assert shown["learned"]["ref"] == "law-1"
    # A course's id is the e-learning platform's: kept as written.
    course = {**BODY, "learned": {"kind": "course", "ref": "elearn-77"}}
    assert org.post("/api/v1/reports", json=course, headers=AUTHOR).status_code == 201


def test_only_people_and_only_the_author_write_a_report(org: FlaskClient) -> None:
    key = {"X-Sender": "hr-sync", "X-Scopes": "admin"}  # a system's key: no person
    assert org.post("/api/v1/reports", json=BODY, headers=key).status_code == 403
    report = draft(org)
    path = f"/api/v1/reports/{report}"
    assert org.patch(path, json={"title": "x"}, headers=OTHER).status_code == 403
    assert org.delete(path, headers=OTHER).status_code == 403
    assert org.post(f"{path}/submit", headers=OTHER).status_code == 403
    # A draft is its author's alone: neither another member nor a reviewer reads it.
    for stranger in (OTHER, NORTH[0]):
        refused = org.get(path, headers=stranger)
        assert refused.status_code == 403 and "draft" in refused.get_json()["message"]
    assert org.get(path, headers=AUTHOR).get_json()["title"] == BODY["title"]


def test_submitting_needs_a_rubric_and_freezes_the_report(org: FlaskClient) -> None:
    report = draft(org)
    path = f"/api/v1/reports/{report}"
    assert org.post(f"{path}/submit", headers=AUTHOR).status_code == 409
    rubric(org)
    assert org.post(f"{path}/submit", headers=AUTHOR).status_code == 200
    for method, extra in ((org.patch, {"json": {"title": "x"}}), (org.delete, {})):
        refused = method(path, headers=AUTHOR, **extra)
        assert refused.status_code == 409 and "submitted" in refused.get_json()["message"]
    again = org.post(f"{path}/submit", headers=AUTHOR)
    assert again.status_code == 409 and "is submitted" in again.get_json()["message"]
    assert org.get(path, headers=AUTHOR).get_json()["title"] == BODY["title"]


def test_a_returned_report_is_edited_and_resubmitted_with_every_move_recorded(
    org: FlaskClient,
) -> None:
    rubric(org)
    report = submitted(org)
    path = f"/api/v1/reports/{report}"
    sent = org.post(
        f"{path}/return", json={"comment": "Say how you measured it."}, headers=NORTH[0]
    )
    assert sent.status_code == 200 and sent.get_json()["state"] == "returned"
    assert org.get(path, headers=AUTHOR).get_json()["comment"] == "Say how you measured it."
    assert org.patch(path, json={"result": "Counted weekly."}, headers=AUTHOR).status_code == 200
    assert org.post(f"{path}/submit", headers=AUTHOR).status_code == 200
    done = scored(org, report, NORTH[1], {"relevance": 5, "effect": 5, "spread": 5})
    assert (done["state"], done["rating"], done["total"]) == ("approved", "A", 100.0)
    refused = org.post(f"{path}/return", json={"comment": "late"}, headers=NORTH[2])
    assert refused.status_code == 409 and "approved" in refused.get_json()["message"]
    moves = org.get(f"{path}/transitions", headers=AUTHOR).get_json()["items"]
    assert [(m["from"], m["to"]) for m in moves] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "returned"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "approved"),
    ]
    assert moves[3]["actor"] == "member:R001" and moves[3]["comment"].startswith("Say how")
    assert moves[-1]["actor"] == "member:R002" and all(m["at"] for m in moves)
