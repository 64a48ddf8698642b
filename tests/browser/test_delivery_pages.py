"""The delivery and nudge pages in Chinese, against the whole platform as processes: an admin
subscribes a webhook (its secret shown once), pauses and resumes it; the silent members of a
unit are listed and nudged, the result said on the page, and the platform's own worker
delivers the nudge to a real receiver on loopback, once, as the log shows; a member turns
their reminders off on their progress page; a staff member is refused the admin pages."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform, wait_until
from tests.receivers import http_receiver

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quiet_unit(platform: Platform, org: Agency) -> str:
    """A unit of this area's own, with two members who have done nothing yet."""
    unit = {"code": "dlv-u1", "name": "投递测试科"}
    assert platform.call("POST", "/api/v1/units", unit, key=org.admin_token).status == 201
    for staff_no, name in (("dlv-m1", "冯一"), ("dlv-m2", "陈二")):
        body = {"staff_no": staff_no, "name": name, "unit": "dlv-u1"}
        assert platform.call("POST", "/api/v1/members", body, key=org.admin_token).status == 201
    return "dlv-u1"


def test_subscribe_nudge_and_see_it_delivered_once(
    open_page: Opener, org: Agency, platform: Platform, quiet_unit: str
) -> None:
    with http_receiver() as receiver:
        page = open_page()
        sign_in(page, org.admin, then="/admin/delivery")
        page.fill("#f-target", "不是网址")
        with page.expect_response("**/admin/delivery") as refused:
            page.click("form.access-form button.primary")
        assert refused.value.status == 422
        expect(page.locator("#e-target")).to_contain_text("http(s)")
        expect(page.locator("#e-events")).to_contain_text("至少选择一类事件")
        shot(page, "delivery-form-errors-phone")
        page.fill("#f-name", "通知网关")
        page.fill("#f-target", receiver.url)
        page.check("input[name=events][value=nudge]")
        page.fill("#f-unit", quiet_unit)
        with page.expect_response("**/admin/delivery") as answer:
            page.click("form.access-form button.primary")
        assert answer.value.headers["cache-control"] == "no-store"
        secret = page.locator("[data-testid=secret]").inner_text().strip()
        assert len(secret) >= 32
        shot(page, "delivery-secret-once")
        page.goto("/admin/delivery")
        assert secret not in page.content()
        row = page.locator("[data-testid=subscriptions] tr", has_text="通知网关")
        row.locator("text=暂停").click()
        expect(page.locator(".notice")).to_contain_text("已暂停")
        page.locator("[data-testid=subscriptions] tr", has_text="通知网关").locator(
            "text=恢复"
        ).click()
        expect(page.locator(".notice")).to_contain_text("已恢复")
        shot(page, "delivery-phone")

        page.goto(f"/admin/silent?unit={quiet_unit}&days=7")
        expect(page.locator("[data-testid=silent] tr[data-member]")).to_have_count(2)
        shot(page, "silent-phone")
        page.click("text=向沉默成员发送提醒")
        result = page.locator("[data-testid=nudge-result]")
        expect(result).to_contain_text("已发送提醒：2")
        shot(page, "silent-nudged-phone")
        page.click("text=向沉默成员发送提醒")  # again: the cool-down holds both back
        expect(result).to_contain_text("最近已提醒过")

        wait_until(lambda: len(receiver.accepted) == 2, what="both nudges delivered")
        members = sorted(json.loads(a.body)["data"]["member"] for a in receiver.accepted.values())
        assert members == ["dlv-m1", "dlv-m2"] and len(receiver.arrivals) == 2
        desk = open_page(viewport=DESK)
        sign_in(desk, org.admin, then="/admin/delivery")
        expect(desk.locator("[data-testid=deliveries]")).to_contain_text("已送达")
        shot(desk, "delivery-desk")


def test_a_member_turns_reminders_off_and_staff_are_refused_the_admin_pages(
    open_page: Opener, org: Agency
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/progress")
    switch = page.locator("[data-testid=nudge-switch]")
    expect(switch).to_contain_text("关闭提醒")
    switch.click()
    expect(page.locator("[data-testid=nudge-switch]")).to_contain_text("重新开启提醒")
    shot(page, "progress-reminders-off-phone")
    page.locator("[data-testid=nudge-switch]").click()
    expect(page.locator("[data-testid=nudge-switch]")).to_contain_text("关闭提醒")
    for path in ("/admin/delivery", "/admin/silent"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403
