"""An admin publishes a new rule set through the gateway; events posted afterwards earn the
new prices, capped and explained, and the member's profile shows the badge."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.harness import Platform, Reply, wait_until
from tests.rules_examples import DEFAULT

pytestmark = pytest.mark.e2e

# The built-in types priced as the default set prices them, so other tests are unaffected.
DOCUMENT = {
    "event_types": {
        **DEFAULT["event_types"],
        "talk_given": {"category": "sharing", "points": 5, "once_per": "talk"},
    },
    "caps": [{"event_type": "talk_given", "per": "day", "points": 8}],
    "badges": [
        {
            "code": "speaker",
            "title": {"zh": "主讲人", "en": "Speaker"},
            "window": "month",
            "all_of": [{"count": "talk_given", "at_least": 2}],
            "points": 1,
        }
    ],
    "levels": [
        {"min_points": 0, "title": {"zh": "学习新人", "en": "Newcomer"}},
        {"min_points": 5, "title": {"zh": "学习骨干", "en": "Regular learner"}},
    ],
}


def talk(member: str, name: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4().hex,
        "type": "talk_given",
        "member": member,
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": {"talk": name},
    }


def priced(platform: Platform, key: str, body: dict[str, Any]) -> Reply:
    """``body`` posted until a worker with the new rules answers (any answer but the old
    rules' 422 for an unknown event type)."""

    def answered() -> Reply:
        reply = platform.call("POST", "/api/v1/events", body, key=key)
        assert reply.status != 422 or "Unknown event type" not in str(reply.body), reply
        return reply

    return wait_until(answered, 10, 0.05, "an answer under the new rules")


def test_a_published_version_prices_and_explains_new_events(
    platform: Platform, admin_key: str, sender_key: str, reader_key: str
) -> None:
    platform.call("POST", "/api/v1/units", {"code": "r-unit", "name": "Rules"}, key=admin_key)
    member = {"staff_no": "R001", "name": "Rule Tester", "unit": "r-unit"}
    assert platform.call("POST", "/api/v1/members", member, key=admin_key)[0] == 201

    status, draft, _ = platform.call(
        "POST", "/api/v1/drafts", {"name": "talks", "document": DOCUMENT}, key=admin_key
    )
    assert status == 201, draft
    assert platform.call("POST", f"/api/v1/drafts/{draft['id']}/validate", key=reader_key)[0] == 403
    status, checked, _ = platform.call(
        "POST", f"/api/v1/drafts/{draft['id']}/validate", key=admin_key
    )
    assert checked == {"valid": True, "errors": {}}
    status, version, _ = platform.call(
        "POST", f"/api/v1/drafts/{draft['id']}/publish", {}, key=admin_key
    )
    assert status == 201 and version["published_by"] == "e2e-admin"

    # Each points worker prices with its own copy of the rules and refreshes it on the first
    # request after RULES_CACHE_SECONDS (1 s here). A worker still on the old version refuses
    # the new type with 422 and records nothing, so each post is retried until it is priced.
    status, first, _ = priced(platform, sender_key, talk("R001", "t1"))
    assert status == 201 and first["entries"][0]["points"] == 5
    assert first["entries"][0]["rule_version"] == version["version"]
    events = [talk("R001", "t2"), talk("R001", "t2"), talk("R001", "t3")]
    status, batch, _ = priced(platform, sender_key, {"events": events})
    assert status == 201, batch
    second, repeat, third = (r["entries"] for r in batch["results"])
    assert [e["points"] for e in second] == [3, 1]  # capped at 8 a day; the badge
    assert "daily cap reached" in second[0]["reason"]
    assert second[0]["detail"]["cap"]["remaining"] == 0
    assert second[1]["reason"].startswith("Badge earned: Speaker (主讲人)")
    assert repeat[0]["points"] == 0 and "already counted for talk t2" in repeat[0]["reason"]
    assert third[0]["points"] == 0

    def profile_under_new_rules() -> Any:
        status, body, _ = platform.call("GET", "/api/v1/members/R001/profile", key=reader_key)
        assert status == 200, body
        # Under the old rules (no levels) the level has no title: a worker still on them.
        assert (body.get("level") or {}).get("title"), body
        return body

    profile = wait_until(profile_under_new_rules, 10, 0.05, "a profile with a level")
    assert profile["total_points"] == 9 and profile["level"]["title"]["en"] == "Regular learner"
    assert [b["code"] for b in profile["badges"]] == ["speaker"]
    status, catalog, _ = platform.call("GET", "/api/v1/catalog", key=reader_key)
    assert catalog["badges"][0]["title"]["zh"] == "主讲人"
