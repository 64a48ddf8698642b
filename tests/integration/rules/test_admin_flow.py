"""An admin's flow through the API: draft, validate, preview on past events, publish, re-score
(twice, to no further effect), adjust by hand; every step leaves history, never edits."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from services.common.calendar import local_date
from tests.integration.rules.conftest import ZONE, Services, clock
from tests.rules_examples import document


def days_ago(days: int) -> datetime:
    return clock.now() - timedelta(days=days)


def quiz(member: str, when: datetime, score: int) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "type": "quiz",
        "member": member,
        "occurred_at": when.isoformat(),
        "data": {"quiz": "q1", "score": score, "max_score": 100},
    }


def attendance(member: str, when: datetime, session: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "type": "attendance",
        "member": member,
        "occurred_at": when.isoformat(),
        "data": {"status": "on_time", "session": session},
    }


def past_events(services: Services) -> str:
    """Under the default set (v1): S1 sends the same full-mark quiz three times, S2 one session
    twice; v1 has no once-per-thing rules, so each earned again."""
    when = days_ago(3)
    services.post(
        quiz("S1", when, 100),
        quiz("S1", when, 100),
        quiz("S1", when, 100),
        attendance("S2", when, "s1"),
        attendance("S2", when, "s1"),
        quiz("S3", when, 65),
    )
    return local_date(when, ZONE).isoformat()


def test_draft_validate_preview_publish_rescore(services: Services) -> None:
    start = end = past_events(services)
    before = {m: services.ledger(m)["total_points"] for m in ("S1", "S2", "S3")}
    assert before == {"S1": 30, "S2": 4, "S3": 3}

    bad = services.rewards.post(
        "/api/v1/drafts",
        json={
            "name": "oops",
            "document": {
                **document(),
                "caps": [{"event_type": "lecture", "per": "day", "points": 5}],
            },
        },
    )
    assert bad.status_code == 201  # an unfinished draft may be saved
    check = services.rewards.post(f"/api/v1/drafts/{bad.get_json()['id']}/validate").get_json()
    assert check == {
        "valid": False,
        "errors": {"caps": {"0": {"event_type": ["Unknown event type 'lecture'."]}}},
    }
    refused = services.rewards.post(f"/api/v1/drafts/{bad.get_json()['id']}/publish", json={})
    assert refused.status_code == 422

    draft = services.rewards.post("/api/v1/drafts", json={"name": "capped", "document": document()})
    draft_id = draft.get_json()["id"]
    preview = services.rewards.post(
        f"/api/v1/drafts/{draft_id}/preview", json={"from": start, "to": end}
    ).get_json()
    members = {m["member"]: m for m in preview["members"]}
    assert members["S1"]["change"] == -20 and members["S2"]["change"] == -2
    assert members["S3"]["change"] == 0
    assert preview["movers"]["down"][0]["member"] == "S1"
    assert {u["unit"]: u["change"] for u in preview["units"]} == {"north": -22, "south": 0}
    assert [m["total_points"] for m in map(services.ledger, ("S1", "S2"))] == [30, 4]  # unwritten

    published = services.rewards.post(f"/api/v1/drafts/{draft_id}/publish", json={}).get_json()
    version = published["version"]
    assert published["status"] == "published" and published["published_by"] is None
    diff = services.rewards.get(f"/api/v1/rulesets/diff?from={version - 1}&to={version}")
    assert any(c["path"] == "caps" for c in diff.get_json()["changes"])

    body = {"version": version, "from": start, "to": end, "request_id": "r1"}
    first = services.rewards.post("/api/v1/rescores", json=body)
    assert first.status_code == 201 and first.get_json()["points_change"] == -22
    assert services.rewards.post("/api/v1/rescores", json=body).status_code == 200  # same id
    again = services.rewards.post("/api/v1/rescores", json={**body, "request_id": "r2"})
    assert again.get_json()["entries_written"] == 0  # re-scoring twice is re-scoring once
    after = {m: services.ledger(m)["total_points"] for m in ("S1", "S2", "S3")}
    assert after == {"S1": 10, "S2": 2, "S3": 3}
    compensations = [e for e in services.ledger("S1")["items"] if e["detail"]["kind"] == "rescore"]
    assert sorted(e["points"] for e in compensations) == [-10, -10]
    assert compensations[0]["reason"] == (
        f"Re-scored under rule set v{version}: quiz was +10, now +0: -10 points"
    )
    assert len(services.ledger("S1")["items"]) == 5  # the three first entries are untouched


def test_manual_adjustments_need_a_reason_and_are_audited(services: Services) -> None:
    path = "/api/v1/members/S1/adjustments"
    missing = services.points.post(path, json={"points": 5})
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]["json"]
    blank = services.points.post(path, json={"points": 5, "reason": "  "})
    assert blank.status_code == 422
    body = {"points": -3, "reason": "Quiz answers copied", "request_id": "adj-1"}
    made = services.points.post(path, json=body, headers={"X-Sender": "admin-li"})
    assert made.status_code == 201
    entry = made.get_json()["entry"]
    assert (
        entry["points"] == -3
        and entry["reason"] == "Manual deduction: Quiz answers copied: -3 points"
    )
    retry = services.points.post(path, json=body, headers={"X-Sender": "admin-li"})
    assert retry.status_code == 200 and retry.get_json()["entry"]["id"] == entry["id"]
    assert services.ledger("S1")["total_points"] == -3
    log = services.points.get("/api/v1/audit?member=S1").get_json()
    assert log["total"] == 1 and log["items"][0]["actor"] == "admin-li"


def test_catalog_lists_badges_and_levels(services: Services) -> None:
    version = services.publish(document())
    catalog = services.rewards.get("/api/v1/catalog").get_json()
    assert catalog["version"] == version
    assert [b["code"] for b in catalog["badges"]] == ["quiz_master", "punctual"]
    assert catalog["levels"][1]["title"] == {"zh": "学习骨干", "en": "Regular learner"}


def test_publishing_at_a_future_local_time(services: Services) -> None:
    draft = services.rewards.post("/api/v1/drafts", json={"name": "n", "document": document()})
    answer = services.rewards.post(
        f"/api/v1/drafts/{draft.get_json()['id']}/publish",
        json={"effective_local": "2099-03-01T00:00:00"},
    )
    assert answer.status_code == 201
    assert answer.get_json()["effective_from"].startswith("2099-02-28T16:00:00")
