"""The learning figures through the real gateway: an area with a leader and a member, one
event each, and the funnel read back; a unit's admin reads their units only, a plain member
none, and the leader mark is an admin's."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness import Platform
from tests.harness.people import account, organisation
from tests.harness.waiting import wait_until

UNITS = (
    ("fig-area", "统计西片", None), ("fig-team", "统计西片一组", "fig-area"),
    ("fig-other", "统计北片", None),
)  # fmt: skip
MEMBERS = (
    ("fig-lead", "邓芳", "fig-area"), ("fig-m1", "韩雪", "fig-team"), ("fig-m2", "罗杰", "fig-team")
)  # fmt: skip


@pytest.fixture(scope="module")
def west(platform: Platform) -> Platform:
    organisation(platform, platform.admin_key, UNITS, MEMBERS)
    marked = platform.call("PUT", "/api/v1/members/fig-lead/leader")
    assert marked.status == 200, marked.body
    at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    events = [
        {"id": uuid.uuid4().hex, "type": "quiz", "member": member, "occurred_at": at,
         "data": {"quiz": f"fig-{member}", "score": 100, "max_score": 100}}
        for member in ("fig-lead", "fig-m1")
    ]  # fmt: skip
    status, body = platform.post_events(events)
    assert status == 201, body
    return platform


def _funnel(platform: Platform, unit: str, key: str | None = None) -> tuple[int, Any]:
    # From yesterday to tomorrow in UTC: today in the organisation's time zone is inside.
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=1), today + timedelta(days=1)
    span = f"from={first.isoformat()}&to={last.isoformat()}"
    answer = platform.call("GET", f"/api/v1/analytics/funnel?unit={unit}&{span}", key=key)
    return answer.status, answer.body


def test_the_funnel_counts_the_leader_beside_the_staff(west: Platform) -> None:
    def counted() -> bool:
        return _funnel(west, "fig-area")[1]["all"]["active"] == 2

    wait_until(counted, timeout=30, what="both events in the figures")
    status, body = _funnel(west, "fig-area")
    assert status == 200
    # Three members, the leader and one of the two staff active: 2 of 3, 1 of 1, 1 of 2.
    assert (body["all"]["members"], body["all"]["activity_rate"]) == (3, 0.6667)
    assert (body["leaders"]["members"], body["leaders"]["activity_rate"]) == (1, 1.0)
    assert (body["staff"]["members"], body["staff"]["activity_rate"]) == (2, 0.5)


def test_a_unit_s_admin_reads_their_units_only_and_a_member_none(west: Platform) -> None:
    admin = west.admin_key
    team_admin = account(west, admin, "fig-m1", ("admin", "fig-team"))
    member = account(west, admin, "fig-m2")
    assert _funnel(west, "fig-team", team_admin)[0] == 200
    assert _funnel(west, "fig-area", team_admin)[0] == 403
    assert _funnel(west, "fig-other", team_admin)[0] == 403
    assert _funnel(west, "fig-team", member)[0] == 403
    assert west.call("PUT", "/api/v1/members/fig-m2/leader", key=member).status == 403
    assert west.call("PUT", "/api/v1/members/fig-lead/leader", key=team_admin).status == 403
