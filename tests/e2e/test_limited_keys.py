"""A limited key through the real processes: an admin makes it over the API, it posts an event
within its limits and is refused one outside them (the limits travel from the gateway to the
points service in signed headers), then it is rotated: the old secret is refused in every
gateway worker within the key cache's time, the new one posts under the same sender."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Platform, quiz, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def org(platform: Platform, admin_key: str) -> None:
    for unit in (
        {"code": "lk-north", "name": "North"},
        {"code": "lk-north-ops", "name": "North ops", "parent": "lk-north"},
        {"code": "lk-south", "name": "South"},
    ):
        assert platform.call("POST", "/api/v1/units", unit, key=admin_key).status == 201
    for staff_no, unit in (("LK-1", "lk-north-ops"), ("LK-2", "lk-south")):
        body = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert platform.call("POST", "/api/v1/members", body, key=admin_key).status == 201


def post(platform: Platform, key: str, event: dict[str, Any]) -> tuple[int, Any]:
    reply = platform.call("POST", "/api/v1/events", event, key=key)
    return reply.status, reply.body


def test_a_limited_key_made_over_the_api_posts_within_its_limits_and_survives_rotation(
    platform: Platform, admin_key: str, org: None
) -> None:
    spec = {"name": "lk-quiz-north", "scopes": ["events"], "event_types": ["quiz"],
            "units": ["lk-north"]}  # fmt: skip
    made = platform.call("POST", "/api/v1/auth/keys", spec, key=admin_key)
    assert made.status == 201, made.body
    old = made.body["key"]

    status, body = post(platform, old, quiz("lk-1", "LK-1"))  # north-ops is below north
    assert status == 201, body
    before = platform.event_count()
    status, body = post(platform, old, quiz("lk-2", "LK-2"))
    assert status == 403 and "member 'LK-2'" in body["message"], body
    attendance = {**quiz("lk-3", "LK-1"), "type": "attendance",
                  "data": {"status": "on_time", "session": "s-1"}}  # fmt: skip
    status, body = post(platform, old, {"events": [quiz("lk-4", "LK-1"), attendance]})
    assert status == 403 and set(body["errors"]["json"]["events"]) == {"1"}, body
    assert platform.event_count() == before  # nothing of the refused batch was recorded

    rotated = platform.call("POST", "/api/v1/auth/keys/lk-quiz-north/rotate", {}, key=admin_key)
    assert rotated.status == 200, rotated.body
    new = rotated.body["key"]
    assert (rotated.body["event_types"], rotated.body["units"]) == (["quiz"], ["lk-north"])

    def old_refused_everywhere() -> bool:
        # A read changes nothing: 403 (no read scope) while a worker still takes the old
        # secret, 401 once none does. Several in a row reach every gateway worker.
        replies = [platform.call("GET", "/api/v1/leaderboard", key=old) for _ in range(6)]
        assert all(r.status == 401 for r in replies), [r.status for r in replies]
        return True

    wait_until(old_refused_everywhere, 20.0, 0.2, "the rotated-out key refused by every worker")
    status, body = post(platform, new, quiz("lk-1", "LK-1"))
    assert status == 200 and body["duplicate"] is True, body  # the same sender: a replay
    status, body = post(platform, new, quiz("lk-5", "LK-1"))
    assert status == 201, body
    status, body = post(platform, new, quiz("lk-6", "LK-2"))
    assert status == 403, body  # the limits came with the name
