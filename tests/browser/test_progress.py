"""My progress in a real browser: the figures are the API's (points, level, streak, badges,
the ledger page, attendance and quiz results), the weekly chart and the streak calendar are
drawn with data, each entry's explanation is in Chinese and in English after the switch, and a
staff member sees only their own progress (``?member=`` of another changes nothing)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import progress_data
from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def made(platform: Platform, org: Agency) -> dict[str, str]:
    return progress_data.build(platform, org)


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
    expect(page.locator("[data-testid=next-badges]")).to_have_text("百战百胜 +5")

    weekly = chart(page, "weekly-chart")
    assert len(weekly["xAxis"]["data"]) == 12
    by_name = {series["name"]: series["data"] for series in weekly["series"]}
    assert set(by_name) == {"出勤", "测验", "徽章"}  # the badge: an entry of 0 points
    assert by_name["出勤"][-6] == 0 and by_name["出勤"][-4] == 2  # late 5 weeks ago, on time 3
    ledger = api(platform, org, f"/api/v1/members/{org.staff}/ledger?limit=500")["items"]
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


def test_a_stranger_is_sent_to_sign_in(open_page: Opener, org: Agency) -> None:
    page = open_page()
    page.goto("/progress")
    assert page.url.endswith("/signin?next=/progress")
