"""Signing in, out and changing one's password on the pages, in Chinese first; the language
switch; and the sign-in form's refusals: wrong password, empty fields, a form from another
site (no CSRF token), a `next` that points away from the platform."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform

pytestmark = pytest.mark.browser


def test_a_stranger_is_asked_to_sign_in_in_chinese(open_page: Opener, org: Agency) -> None:
    page = open_page()
    page.goto("/password")
    assert page.url.endswith("/signin?next=/password")
    expect(page.locator("h1")).to_have_text("登录")
    expect(page.locator("label[for=f-staff_no]")).to_have_text("工号")
    shot(page, "signin-zh")


def test_wrong_password_and_empty_fields_are_said_next_to_the_form(
    open_page: Opener, org: Agency
) -> None:
    page = open_page()
    page.goto("/signin")
    page.click("form.card button.primary")
    expect(page.locator("#e-staff_no")).to_have_text("请输入工号。")
    expect(page.locator("#e-password")).to_have_text("请输入密码。")
    page.fill("#f-staff_no", org.staff)
    page.fill("#f-password", "not the password")
    with page.expect_response("**/signin") as answer:
        page.click("form.card button.primary")
    assert answer.value.status == 401
    expect(page.locator(".form-error")).to_have_text("工号或密码错误。")
    expect(page.locator("#f-staff_no")).to_have_value(org.staff)
    shot(page, "signin-refused")


def test_signed_in_the_home_page_shows_points_ranks_and_the_catch_up_line(
    open_page: Opener, org: Agency
) -> None:
    page = open_page()
    sign_in(page, org.staff)
    expect(page.locator("h1")).to_have_text("你好，张伟")
    expect(page.locator(".tile .figure").first).not_to_have_text("0")
    expect(page.locator("[data-testid=catch-up]")).to_contain_text("分")
    expect(page.locator("table.ranks tbody tr").first).to_contain_text("全单位")
    shot(page, "home-phone")


def test_the_language_switch_is_remembered_for_the_person(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.reviewer)
    page.click("form.language button")
    expect(page.locator("h1")).to_have_text("Hello, 赵敏")
    page.click("text=Sign out")
    expect(page.locator("h1")).to_have_text("Sign in")  # the cookie keeps it before sign-in
    elsewhere = open_page(locale="zh-CN")  # another browser: the account keeps it
    sign_in(elsewhere, org.reviewer)
    expect(elsewhere.locator("h1")).to_have_text("Hello, 赵敏")
    elsewhere.click("form.language button")
    expect(elsewhere.locator("h1")).to_have_text("你好，赵敏")


def test_signing_out_ends_the_session(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    cookie = next(c for c in page.context.cookies() if c["name"] == "li_session")
    page.click("text=退出")
    expect(page.locator("h1")).to_have_text("登录")
    again = open_page()
    again.context.add_cookies([{**cookie}])  # the old cookie, kept by someone: it opens nothing
    again.goto("/")
    assert "/signin" in again.url


def test_a_form_posted_from_another_site_signs_nobody_in(platform: Platform, org: Agency) -> None:
    """No CSRF token (another site cannot read one): 403, and no session cookie."""
    answer = platform.http.request(
        "POST",
        f"{platform.base_url}/signin",
        fields={"staff_no": org.staff, "password": org.password},
        encode_multipart=False,
        redirect=False,
    )
    assert answer.status == 403
    assert "li_session" not in answer.headers.get("Set-Cookie", "")


def test_next_never_leads_off_the_platform(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page: Page = open_page()
    page.goto("/signin?next=//elsewhere.example/")
    page.fill("#f-staff_no", org.staff)
    page.fill("#f-password", org.password)
    page.click("form.card button.primary")
    page.wait_for_load_state()
    assert page.url == f"{platform.base_url}/"


def test_changing_the_password_keeps_this_browser_signed_in(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    from tests.harness.people import account

    account(platform, org.admin_token, "s02")
    page = open_page()
    sign_in(page, "s02")
    page.goto("/password")
    page.fill("#f-old_password", org.password)
    page.fill("#f-new_password", "short")
    page.fill("#f-repeat_password", "short")
    page.click("form.card button.primary")
    expect(page.locator("#e-new_password")).to_contain_text("密码至少")
    shot(page, "password-refused")
    page.fill("#f-old_password", org.password)
    page.fill("#f-new_password", "a brand new password")
    page.fill("#f-repeat_password", "a brand new password")
    page.click("form.card button.primary")
    expect(page.locator(".notice")).to_contain_text("密码已修改")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("你好，王芳")
