"""The exports page as the agency's admin a01: a missing unit said next to its field (422), an
export of the first area asked for as XLSX, its progress followed until the list (polling on
its own) offers the download, and the file downloaded under its Chinese name and opened. A
staff member gets the 403 page. Screenshots on a phone and an office screen."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, PHONE, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser


def test_an_admin_makes_an_export_and_downloads_it(open_page: Opener, org: Agency) -> None:
    page = open_page(viewport=PHONE)
    sign_in(page, org.admin, then="/admin")
    page.click("a[href='/admin/exports']")
    page.wait_for_url("**/admin/exports")
    expect(page.locator("h1")).to_have_text("检查报告导出")
    page.click("#new-export button.primary")  # no unit chosen
    expect(page.locator("#e-unit")).to_have_text("请选择单位。")
    shot(page, "exports-phone-unit-missing")
    page.select_option("#f-unit", "a1")
    page.check("input[name=format][value=xlsx]")
    page.click("#new-export button.primary")
    page.wait_for_url("**/admin/exports?done=started")
    row = page.locator("[data-testid=export-list] tr[data-export]").first
    expect(row).to_contain_text("第一片区")
    link = row.locator("a[download]")
    expect(link).to_have_text("下载", timeout=30_000)  # the list refreshed itself
    shot(page, "exports-phone-done")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename.startswith("学习情况报告-第一片区-")
    data = Path(download.path()).read_bytes()
    book = load_workbook(BytesIO(data))
    assert book.sheetnames[0] == "概况"
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["单位"] == "第一片区" and summary["人数"] == 5  # s01-s03, r01 and a01

    desk = open_page(viewport=DESK)
    sign_in(desk, org.admin, then="/admin/exports")
    expect(desk.locator("[data-testid=export-list] a[download]").first).to_be_visible()
    shot(desk, "exports-desk")


def test_an_area_s_admin_picks_among_their_units_only_in_english(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    body = {"staff_no": "exp-adm", "name": "何平", "unit": "a2-field"}
    assert platform.call("POST", "/api/v1/members", body, key=org.admin_token).status == 201
    account(platform, org.admin_token, "exp-adm", ("admin", "a2-field"))
    page = open_page(locale="en", viewport=DESK)
    sign_in(page, "exp-adm", then="/admin/exports")
    expect(page.locator("h1")).to_have_text("Exports for inspections")
    options = page.locator("#f-unit option").evaluate_all("all => all.map(o => o.value)")
    assert options == ["", "a2-field", "a2-t1"]
    shot(page, "exports-desk-area-admin-en")


def test_a_staff_member_gets_the_403_page(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    answer = page.goto("/admin/exports")
    assert answer is not None and answer.status == 403
