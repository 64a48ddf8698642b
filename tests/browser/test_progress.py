"""My progress in a real browser: the figures are the API's (points, level, streak, badges,
the ledger page, attendance and quiz results), the weekly chart and the streak calendar are
drawn with data, each entry's explanation is in Chinese and in English after the switch, and a
staff member sees only their own progress (``?member=`` of another changes nothing).

The sample data, made through the real API as the agency's admin and its sender key: a rule
set with the default prices plus levels, a streak and two badges (one s01 earns on the quiz
below, one out of reach), a quiz kept for s01's team and taken, sessions for s01 (one
attended, one waiting for its record) and attendance dated weeks back, for the weekly chart.
Publishing it changes no price, so other pages' figures stay those of the default rules."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform

pytestmark = pytest.mark.browser

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
        {"code": "pg_keep_at_it", "title": {"zh": "坚持不懈", "en": "Keeping at it"},
         "window": "month", "all_of": [{"streak": 30}, {"sum": "attendance", "at_least": 500}]},
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
    status, body = platform.post_events(events)
    assert status == 201, body  # every one recorded (a 207 would name those refused)


def publish_rules(platform: Platform, org: Agency) -> None:
    draft = call(platform, org, "POST", "/api/v1/drafts", {"name": "pg-rules", "document": RULES})
    call(platform, org, "POST", f"/api/v1/drafts/{draft['id']}/publish", {})
    time.sleep(1.5)  # RULES_CACHE_SECONDS is 1 in the browser platform


def session(platform: Platform, org: Agency, title: str, starts: datetime, *who: str) -> str:
    ends = starts + timedelta(hours=1)
    body = {"title": title, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "place": "三楼会议室", "expected": {"members": list(who)}}  # fmt: skip
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


@pytest.fixture(scope="module")
def made(platform: Platform, org: Agency) -> dict[str, str]:
    return build(platform, org)


def api(platform: Platform, org: Agency, path: str, language: str = "zh-CN") -> Any:
    reply = platform.call("GET", path, key=org.admin_token, **{"Accept-Language": language})
    assert reply.status == 200, reply.body
    return reply.body


def chart(page: Page, testid: str) -> dict[str, Any]:
    element = page.locator(f"[data-testid={testid}]")
    expect(element.locator("canvas").first).to_be_visible()  # ECharts drew it
    option: dict[str, Any] = json.loads(element.get_attribute("data-chart") or "{}")
    return option


def test_the_figures_are_the_apis_and_the_charts_have_data(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/progress")
    profile = api(platform, org, f"/api/v1/members/{org.staff}/profile")
    expect(page.locator("[data-testid=total] .figure")).to_have_text(str(profile["total_points"]))
    expect(page.locator("[data-testid=level] .figure")).to_have_text("学习新人")
    to_next = profile["level"]["next"]["points_needed"]
    expect(page.locator("[data-testid=to-next]")).to_have_text(f"再得 {to_next} 分升为“学习标兵”")
    expect(page.locator("[data-testid=streak] .figure")).to_have_text(
        str(profile["streak"]["current"])
    )
    expect(page.locator("[data-testid=badges]")).to_contain_text("进步初现")
    expect(page.locator("[data-badge=pg_far_away]")).to_have_text("百战百胜 +5")  # no progress
    ledger = api(platform, org, f"/api/v1/members/{org.staff}/ledger?limit=500")["items"]
    month = ledger[0]["local_date"][:8]  # "YYYY-MM-": this month's entries (the newest's month)
    attended = sum(e["points"] for e in ledger if e["category"] == "attendance"
                   and e["local_date"].startswith(month))  # fmt: skip
    expect(page.locator("[data-badge=pg_keep_at_it]")).to_have_text(
        f"坚持不懈 连续学习 {profile['streak']['current']} / 30 天 · 出勤积分 {attended} / 500"
    )

    weekly = chart(page, "weekly-chart")
    assert len(weekly["xAxis"]["data"]) == 12
    by_name = {series["name"]: series["data"] for series in weekly["series"]}
    assert set(by_name) == {"出勤", "测验", "徽章"}  # the badge: an entry of 0 points
    assert by_name["出勤"][-6] == 0 and by_name["出勤"][-4] == 2  # late 5 weeks ago, on time 3
    assert sum(map(sum, by_name.values())) == sum(e["points"] for e in ledger)
    calendar = chart(page, "calendar-chart")
    days = {day: points for day, points in calendar["series"][0]["data"]}
    assert days[ledger[0]["local_date"]] == sum(
        e["points"] for e in ledger if e["local_date"] == ledger[0]["local_date"]
    )

    sessions = api(platform, org, f"/api/v1/members/{org.staff}/sessions")
    totals = sessions["totals"]
    expect(page.locator("[data-testid=attendance-totals]")).to_have_text(
        f"准时 {totals['on_time']} 次，迟到 {totals['late']} 次，"
        f"请假 {totals['excused']} 次，缺勤 {totals['absent']} 次"
    )
    row = page.locator(f"[data-testid=attendance] tr[data-session='{made['attended']}']")
    expect(row).to_contain_text("准时")
    quiz = page.locator("[data-testid=quizzes] tr[data-quiz=pg-quiz]")
    expect(quiz).to_contain_text("88 / 100")
    expect(quiz).to_contain_text("已通过")
    shot(page, "progress-phone")


def test_the_ledger_explains_each_entry_in_chinese_then_in_english(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    page = open_page(locale="zh-CN", viewport=DESK)
    sign_in(page, org.staff, then="/progress")
    zh = api(platform, org, f"/api/v1/members/{org.staff}/ledger?limit=20", "zh-CN")
    rows = page.locator("[data-testid=ledger] tbody tr")
    expect(rows).to_have_count(len(zh["items"]))
    first = zh["items"][0]
    cell = page.locator(f"tr[data-entry='{first['id']}'] .explanation")
    expect(cell).to_have_text(first["explanation"])
    assert "分" in first["explanation"]
    expect(page.locator("[data-testid=page-of]")).to_have_text(
        f"第 1 页，共 {(zh['total'] + 19) // 20} 页"
    )
    shot(page, "progress-desk")
    page.click("form.language button")  # English, while the browser still asks for zh-CN
    en = api(platform, org, f"/api/v1/members/{org.staff}/ledger?limit=20", "en")
    expect(page.locator("h1")).to_have_text("My progress")
    expect(cell).to_have_text(en["items"][0]["explanation"])
    assert "point" in en["items"][0]["explanation"]
    page.click("form.language button")  # back to Chinese for the other tests of this account
    expect(page.locator("h1")).to_have_text("我的进度")


def test_another_members_progress_is_not_shown(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    theirs = api(platform, org, "/api/v1/members/s02/ledger?limit=50")["items"]
    assert theirs
    page = open_page()
    sign_in(page, org.staff)
    answer = page.goto("/progress?member=s02")
    assert answer is not None and answer.status == 200
    expect(page.locator("[data-testid=who]")).to_have_text("张伟")
    ids = page.locator("[data-testid=ledger] tr[data-entry]").evaluate_all(
        "rows => rows.map(row => Number(row.dataset.entry))"
    )
    assert ids and not set(ids) & {entry["id"] for entry in theirs}
    mine = api(platform, org, f"/api/v1/members/{org.staff}/profile")["total_points"]
    expect(page.locator("[data-testid=total] .figure")).to_have_text(str(mine))


def test_a_page_past_the_end_or_not_a_number_shows_a_page_there_is(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    total = api(platform, org, f"/api/v1/members/{org.staff}/ledger?limit=1")["total"]
    pages = (total + 19) // 20
    page = open_page()
    sign_in(page, org.staff)
    for asked in ("999", "-1", "two"):
        answer = page.goto(f"/progress?page={asked}")
        assert answer is not None and answer.status == 200
        shown = pages if asked == "999" else 1
        expect(page.locator("[data-testid=page-of]")).to_have_text(f"第 {shown} 页，共 {pages} 页")
        expect(page.locator("[data-testid=ledger] tr[data-entry]").first).to_be_visible()


def test_a_stranger_is_sent_to_sign_in(open_page: Opener, org: Agency) -> None:
    page = open_page()
    page.goto("/progress")
    assert page.url.endswith("/signin?next=/progress")
