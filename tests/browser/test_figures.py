"""The figures page as the agency's admin a01, on an office screen and a phone (375 px): the
funnel as a chart and a table with a leader beside the staff, units side by side sorted by
another figure, the most improved, the trend chart and the drifting units; dates that are
not dates said next to their fields (422); an admin of one area sees that area only; a staff
member gets the 403 page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser
PHONE_375 = {"width": 375, "height": 812}


def test_the_figures_of_an_area_on_a_desk_and_a_phone(
    platform: Platform, org: Agency, open_page: Opener
) -> None:
    marked = platform.call("PUT", "/api/v1/members/r01/leader", key=org.admin_token)
    assert marked.status == 200 and marked.body["leader"] is True, marked.body
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/admin")
    expect(page.locator("a[href='/admin/figures']")).to_be_visible()
    page.goto("/admin/figures?unit=a1&period=week")
    expect(page.locator("h1")).to_have_text("学习数据")
    table = page.locator("[data-testid=funnel-table]")
    # a1: s01, s02, s03 in its teams, r01 (the leader) in its office, a01 itself.
    expect(table.locator("tbody tr").first).to_contain_text("5")
    expect(table.locator("thead")).to_contain_text("领导")
    expect(page.locator("#funnel-chart canvas")).to_have_count(1)
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    units = page.locator("[data-testid=units-table] tbody tr")
    expect(units).to_have_count(1)  # a1's one department
    expect(units.first).to_contain_text("综合科")
    page.click("[data-testid=units-table] thead a >> nth=0")
    expect(page.locator("[data-testid=units-table] [aria-sort]")).to_contain_text("活跃率")
    expect(page.locator("[data-testid=improved-table] tbody tr")).to_have_count(1)
    expect(page.locator("[data-testid=drifting]")).to_be_visible()
    shot(page, "figures-desk")

    phone = open_page(viewport=PHONE_375)
    sign_in(phone, org.admin, then="/admin")
    phone.goto("/admin/figures")
    expect(phone.locator("[data-testid=funnel-table]")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width  # nothing wider than the phone: wide tables scroll inside
    shot(phone, "figures-phone")


def test_bad_dates_are_said_next_to_their_fields(org: Agency, open_page: Opener) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/admin")
    answer = page.goto("/admin/figures?period=dates&from=2026-12-40&to=2026-12-01")
    assert answer is not None and answer.status == 422
    expect(page.locator("#e-from")).to_have_text("请按 2026-12-01 的格式填写日期。")
    expect(page.locator("#e-to")).to_have_count(0)
    backwards = page.goto("/admin/figures?period=dates&from=2026-12-05&to=2026-12-01")
    assert backwards is not None and backwards.status == 422
    expect(page.locator("#e-to")).to_have_text("结束日期不能早于起始日期。")
    shot(page, "figures-bad-dates")
    too_long = page.goto("/admin/figures?period=dates&from=2025-01-01&to=2026-12-01")
    assert too_long is not None and too_long.status == 422
    expect(page.locator("#e-to")).to_have_text("查询期间最长为 366 天。")


def test_a_staff_member_gets_the_403_page(org: Agency, open_page: Opener) -> None:
    page = open_page()
    sign_in(page, org.staff)
    answer = page.goto("/admin/figures")
    assert answer is not None and answer.status == 403


def test_an_admin_of_one_area_sees_that_area_only(
    platform: Platform, org: Agency, open_page: Opener
) -> None:
    body = {"staff_no": "fig-adm", "name": "冯强", "unit": "a2"}
    assert platform.call("POST", "/api/v1/members", body, key=org.admin_token).status == 201
    account(platform, org.admin_token, "fig-adm", ("admin", "a2"))
    page = open_page(viewport=DESK)
    sign_in(page, "fig-adm", then="/admin")
    page.goto("/admin/figures")
    expect(page.locator("#f-unit")).to_have_value("a2")  # the whole organisation is not theirs
    expect(page.locator("#f-unit option[value='']")).to_have_count(0)
    rows = page.locator("[data-testid=units-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("业务科")
    outside = page.goto("/admin/figures?unit=a1")
    assert outside is not None and outside.status == 403
