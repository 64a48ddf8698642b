"""The reset page (``/reset``): a person redeems the one-time code an admin issued over the API,
then signs in with the new password. A wrong code is said next to the code with the API's 403,
two passwords that differ next to the second one (422), a form without its CSRF token is a 403,
and the sign-in page links to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser

PERSON = "act2-p01"
NEW_PASSWORD = "a fresh page password"


@pytest.fixture(scope="module")
def person(platform: Platform, org: Agency) -> str:
    member = {"staff_no": PERSON, "name": "唐宁", "unit": "a1-t2"}
    assert platform.call("POST", "/api/v1/members", member).status == 201
    account(platform, org.admin_token, PERSON)
    return PERSON


def issue_code(platform: Platform, org: Agency, staff_no: str) -> str:
    path = f"/api/v1/auth/accounts/{staff_no}/reset-code"
    issued = platform.call("POST", path, key=org.admin_token)
    assert issued.status == 201, issued.body
    code: str = issued.body["code"]
    return code


def submit(page: Page, code: str, new: str, repeat: str) -> int:
    page.fill("#f-code", code)
    page.fill("#f-new_password", new)
    page.fill("#f-repeat_password", repeat)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#reset-form button.primary")
    return answer.value.status


def test_a_code_sets_a_new_password_after_the_mistakes_are_said(
    open_page: Opener, org: Agency, platform: Platform, person: str
) -> None:
    code = issue_code(platform, org, person)
    page = open_page()
    page.goto("/signin")
    page.click("#reset-link")
    expect(page.locator("h1")).to_have_text("凭验证码设置新密码")
    assert submit(page, "not-the-code", NEW_PASSWORD, NEW_PASSWORD) == 403
    expect(page.locator("#e-code")).to_have_text("验证码无效、已使用或已过期。")
    assert submit(page, code, NEW_PASSWORD, NEW_PASSWORD + "!") == 422
    expect(page.locator("#e-repeat_password")).to_have_text("两次输入的新密码不一致。")
    expect(page.locator("#f-code")).to_have_value(code)
    shot(page, "reset-page")
    page.set_viewport_size(DESK)
    shot(page, "reset-page-desk")
    assert submit(page, code, NEW_PASSWORD, NEW_PASSWORD) == 302
    page.wait_for_url("**/signin?done=reset")
    expect(page.locator(".notice")).to_have_text("新密码已设置，请用新密码登录。")
    sign_in(page, person, NEW_PASSWORD)
    expect(page.locator("h1")).to_have_text("你好，唐宁")
    again = open_page()
    again.goto("/reset")
    assert submit(again, code, "another new password", "another new password") == 403
    audit = platform.call("GET", "/api/v1/auth/audit", key=org.admin_token).body["items"]
    resets = [entry for entry in audit if entry["action"] == "password-reset"]
    assert {"ok", "refused"} <= {entry["outcome"] for entry in resets}


def test_the_reset_form_needs_its_csrf_token(
    open_page: Opener, org: Agency, platform: Platform, person: str
) -> None:
    code = issue_code(platform, org, person)
    page = open_page()
    page.goto("/reset")
    typed = "no token password"
    form = {"code": code, "new_password": typed, "repeat_password": typed}
    answer = page.request.post("/reset", form=form)
    assert answer.status == 403
    tried = {"staff_no": person, "password": typed}
    signed = platform.call("POST", "/api/v1/auth/sign-in", tried, key="")
    assert signed.status == 401
