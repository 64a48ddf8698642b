"""Sessions and quizzes in a real browser: what is coming for the staff member (a session they
are expected at, quizzes open or announced for their units, not another unit's), what they
attended or missed, and the excuse form: a reason is required (said next to the field, 422),
an excuse is sent as the member's own (the API then has it pending), a second one is the API's
409, a session the member is not expected at the API's 422, and a form without its CSRF token
is refused (403). The sessions and quizzes are made here, as the agency's admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform

pytestmark = pytest.mark.browser


def call(platform: Platform, org: Agency, method: str, path: str, body: Any = None) -> Any:
    reply = platform.call(method, path, body, key=org.admin_token)
    assert reply.status in (200, 201), (path, reply.status, reply.body)
    return reply.body


def session(platform: Platform, org: Agency, title: str, starts: datetime, *who: str) -> str:
    ends = starts + timedelta(hours=2)
    body = {"title": title, "starts_at": starts.isoformat(), "ends_at": ends.isoformat(),
            "place": "二楼报告厅", "expected": {"members": list(who)}}  # fmt: skip
    made: str = call(platform, org, "POST", "/api/v1/sessions", body)["id"]
    return made


def quiz(platform: Platform, org: Agency, code: str, opens: datetime, units: list[str]) -> None:
    body = {"id": code, "title": f"测验 {code}", "opens_at": opens.isoformat(),
            "closes_at": (opens + timedelta(days=3)).isoformat(), "max_score": 100,
            "pass_mark": 60, "units": units}  # fmt: skip
    call(platform, org, "POST", "/api/v1/quizzes", body)


@pytest.fixture(scope="module")
def made(platform: Platform, org: Agency) -> dict[str, str]:
    now = datetime.now(UTC)
    quiz(platform, org, "act-open", now - timedelta(hours=2), ["a1"])  # s01's area
    quiz(platform, org, "act-soon", now + timedelta(days=2), ["a1-t1"])  # s01's team
    quiz(platform, org, "act-elsewhere", now - timedelta(hours=2), ["a2"])
    sessions = {
        "coming": session(platform, org, "依法行政专题讲座", now + timedelta(days=3), org.staff),
        "excuse": session(platform, org, "安全生产培训", now + timedelta(days=5), org.staff),
        "attended": session(platform, org, "季度业务交流", now - timedelta(days=2), org.staff),
        "not_mine": session(platform, org, "执法规范研讨", now + timedelta(days=4), "s02"),
    }
    attended = {"id": uuid.uuid4().hex, "type": "attendance", "member": org.staff,
                "occurred_at": (now - timedelta(days=2)).isoformat(),
                "data": {"status": "on_time", "session": sessions["attended"]}}  # fmt: skip
    status, body = platform.post_events([attended])
    assert status == 201, body
    return sessions


def test_what_is_coming_and_what_was_attended(
    open_page: Opener, org: Agency, made: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/activities")
    coming = page.locator("[data-testid=coming]")
    expect(coming.locator(f"[data-session='{made['coming']}']")).to_contain_text("依法行政专题讲座")
    expect(coming.locator(f"[data-session='{made['coming']}'] a")).to_have_text("申请请假")
    expect(coming.locator("[data-quiz=act-open]")).to_contain_text("进行中")
    expect(coming.locator("[data-quiz=act-soon]")).to_contain_text("已公布")
    expect(coming.locator("[data-quiz=act-elsewhere]")).to_have_count(0)
    expect(coming.locator(f"[data-session='{made['not_mine']}']")).to_have_count(0)
    past = page.locator(f"[data-testid=past] tr[data-session='{made['attended']}']")
    expect(past).to_contain_text("准时")
    expect(past.locator("a")).to_have_count(0)  # attended: nothing to excuse
    shot(page, "activities-phone")


def test_the_excuse_form_says_what_is_wrong_then_sends_it(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.staff, then="/activities")
    page.click(f"[data-session='{made['excuse']}'] a")
    expect(page.locator("h1")).to_have_text("申请请假")
    expect(page.locator("[data-testid=session-about]")).to_contain_text("安全生产培训")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("form.excuse-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-reason")).to_have_text("请填写不能参加的原因。")
    expect(page.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    shot(page, "excuse-form")
    page.fill("#f-reason", "当天需参加区政府专项检查。")
    page.click("form.excuse-form button.primary")
    page.wait_for_url("**/activities?done=excused")
    expect(page.locator(".notice")).to_have_text("请假申请已提交，将由本单位管理员审批。")
    row = page.locator(f"[data-testid=coming] [data-session='{made['excuse']}']")
    expect(row).to_contain_text("请假待审批")
    expect(row.locator("a")).to_have_count(0)
    path = f"/api/v1/sessions/{made['excuse']}/excuses/{org.staff}"
    sent = call(platform, org, "GET", path)
    assert sent["state"] == "pending" and sent["reason"] == "当天需参加区政府专项检查。"

    page.goto(f"/activities/sessions/{made['excuse']}/excuse")  # once more: the API's 409
    page.fill("#f-reason", "再次提交")
    with page.expect_response(lambda r: r.request.method == "POST") as again:
        page.click("form.excuse-form button.primary")
    assert again.value.status == 409
    expect(page.locator(".form-error")).to_have_text("本场学习已提交过请假申请，或该场次已取消。")
    expect(page.locator("#f-reason")).to_have_value("再次提交")


def test_a_session_one_is_not_expected_at_is_refused_by_the_api(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.staff, then=f"/activities/sessions/{made['not_mine']}/excuse")
    page.fill("#f-reason", "出差")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("form.excuse-form button.primary")
    assert answer.value.status == 422
    expect(page.locator(".form-error")).to_have_text("您不在本场学习的应到人员之列。")
    path = f"/api/v1/sessions/{made['not_mine']}/excuses/{org.staff}"
    assert platform.call("GET", path, key=org.admin_token).status == 404  # nothing was sent


def test_an_excuse_without_its_csrf_token_or_for_no_session_is_refused(
    open_page: Opener, org: Agency, platform: Platform, made: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/activities")
    target = f"/activities/sessions/{made['coming']}/excuse"
    refused = page.request.post(target, form={"reason": "没有令牌"})
    assert refused.status == 403
    path = f"/api/v1/sessions/{made['coming']}/excuses/{org.staff}"
    assert platform.call("GET", path, key=org.admin_token).status == 404
    answer = page.goto("/activities/sessions/999999/excuse")
    assert answer is not None and answer.status == 404
    expect(page.locator("main")).to_contain_text("这里没有内容")
