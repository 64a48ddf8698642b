"""Sample data for the My progress and Sessions and quizzes pages, made through the real API
as the agency's admin and its sender key: a rule set like the default one (the same prices)
with levels, a streak and two badges (one the staff member s01 earns on the quiz below, one
out of reach), a quiz kept for s01's team and taken, sessions for s01 (one attended, one
waiting for its record, one to come) and learning dated weeks back, for the weekly chart."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.agency import Agency
from tests.harness import Platform, wait_until

PRICES = {
    "attendance": {"category": "attendance", "by": "status",
                   "points": {"on_time": 2, "late": 0, "absent": -3, "excused": 0}},
    "quiz": {"category": "quiz", "score_bands": [{"min_percent": 100, "points": 10},
             {"min_percent": 90, "points": 6}, {"min_percent": 60, "points": 3}], "otherwise": 1},
    "practice_report": {"category": "practice", "by": "rating", "points": {"A": 8, "B": 5, "C": 2}},
}  # fmt: skip
RULES = {
    "event_types": PRICES,
    "levels": [
        {"min_points": 0, "title": {"zh": "学习新人", "en": "Newcomer"}},
        {"min_points": 10_000, "title": {"zh": "学习标兵", "en": "Model learner"}},
    ],
    "streak": {"per": "day", "activities": {"quiz": {}, "attendance": {"status": ["on_time"]}},
               "milestones": [{"length": 1000, "points": 1}]},
    "badges": [
        {"code": "pg_first_quiz", "title": {"zh": "进步初现", "en": "First steps"},
         "window": "all", "points": 0,
         "all_of": [{"count": "quiz", "where": {"quiz": ["pg-quiz"]}, "at_least": 1}]},
        {"code": "pg_far_away", "title": {"zh": "百战百胜", "en": "Hundred wins"},
         "window": "all", "points": 5,
         "all_of": [{"count": "quiz", "where": {"quiz": ["pg-never"]}, "at_least": 100}]},
    ],
}  # fmt: skip


def call(platform: Platform, org: Agency, method: str, path: str, body: Any = None) -> Any:
    """An admin's call that must succeed: its JSON."""
    reply = platform.call(method, path, body, key=org.admin_token)
    assert reply.status in (200, 201), (path, reply.status, reply.body)
    return reply.body


def event(kind: str, member: str, at: datetime, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "type": kind, "member": member,
            "occurred_at": at.isoformat(), "data": data}  # fmt: skip


def post(platform: Platform, events: list[dict[str, Any]]) -> None:
    """Posted until priced: a points worker on an older copy of the rules refuses a kept
    quiz's event it does not know yet (422) and records nothing."""

    def priced() -> bool:
        status, body = platform.post_events(events)
        assert status in (201, 422), body
        return status == 201

    wait_until(priced, 20, 0.2, "the events priced")


def publish_rules(platform: Platform, org: Agency) -> None:
    draft = call(platform, org, "POST", "/api/v1/drafts", {"name": "pg-rules", "document": RULES})
    call(platform, org, "POST", f"/api/v1/drafts/{draft['id']}/publish", {})
    time.sleep(1.5)  # RULES_CACHE_SECONDS is 1 in the browser platform


def session(platform: Platform, org: Agency, title: str, starts: datetime, *who: str) -> str:
    body = {"title": title, "starts_at": starts.isoformat(), "place": "三楼会议室",
            "ends_at": (starts + timedelta(hours=1)).isoformat(), "expected": {"members": list(who)}}  # fmt: skip
    made: str = call(platform, org, "POST", "/api/v1/sessions", body)["id"]
    return made


def quiz(platform: Platform, org: Agency, code: str, opens: datetime, units: list[str]) -> None:
    body = {"id": code, "title": f"测验 {code}", "opens_at": opens.isoformat(),
            "closes_at": (opens + timedelta(days=2)).isoformat(), "max_score": 100,
            "pass_mark": 60, "units": units}  # fmt: skip
    call(platform, org, "POST", "/api/v1/quizzes", body)


def build(platform: Platform, org: Agency) -> dict[str, str]:
    """The sessions made, by what they are for."""
    publish_rules(platform, org)
    now = datetime.now(UTC)
    quiz(platform, org, "pg-quiz", now - timedelta(days=1), ["a1-t1"])
    attended = session(platform, org, "党史学习讲座", now - timedelta(days=1), org.staff)
    waiting = session(platform, org, "业务培训", now - timedelta(hours=5), org.staff)
    events = [
        event("quiz", org.staff, datetime.now(UTC),  # after the rules above took effect
              {"quiz": "pg-quiz", "score": 88, "max_score": 100}),
        event("attendance", org.staff, now - timedelta(days=1) + timedelta(minutes=1),
              {"status": "on_time", "session": attended}),
        event("attendance", org.staff, now - timedelta(weeks=3), {"status": "on_time",
              "session": "pg-old-talk"}),
        event("attendance", org.staff, now - timedelta(weeks=5), {"status": "late",
              "session": "pg-older-talk"}),
        event("attendance", "s02", now - timedelta(weeks=2), {"status": "on_time",
              "session": "pg-s02-talk"}),
    ]  # fmt: skip
    post(platform, events)
    return {"attended": attended, "waiting": waiting}
