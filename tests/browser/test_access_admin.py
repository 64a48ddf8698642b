"""The admins' access and correction pages, in Chinese: API keys (the secret shown once, and
it works; rotated, the old one stops; revoked, it stops), accounts and roles, a manual
adjustment that moves the member's figures by exactly its points and shows in the audit log,
and the refusals: bad fields said by the field, a staff member, an admin limited to a unit,
a form without its CSRF token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform, wait_until
from tests.harness.people import account

pytestmark = pytest.mark.browser

PAGES = ("/admin/keys", "/admin/accounts", "/admin/adjustments", "/admin/audit")


@pytest.fixture(scope="module")
def acc(platform: Platform, org: Agency) -> dict[str, str]:
    """Units and members of this area's own: acc-m1 (no account yet), acc-m2 (an admin of
    acc-u2 only) and acc-m3 in acc-u2."""
    for unit in ({"code": "acc-u1", "name": "测试一科"}, {"code": "acc-u2", "name": "测试二科"}):
        made = platform.call("POST", "/api/v1/units", unit, key=org.admin_token)
        assert made.status == 201, made.body
    for staff_no, name, unit in (("acc-m1", "周一", "acc-u1"), ("acc-m2", "吴二", "acc-u2"),
                                 ("acc-m3", "郑三", "acc-u2")):  # fmt: skip
        body = {"staff_no": staff_no, "name": name, "unit": unit}
        made = platform.call("POST", "/api/v1/members", body, key=org.admin_token)
        assert made.status == 201, made.body
    account(platform, org.admin_token, "acc-m2", ("admin", "acc-u2"))
    return {"member": "acc-m1", "unit_admin": "acc-m2", "theirs": "acc-m3"}


def _status(platform: Platform, key: str) -> int:
    return platform.call("GET", "/api/v1/leaderboard", key=key).status


def _secret(page: Page) -> str:
    shown = page.locator("[data-testid=secret]").inner_text().strip()
    assert shown.startswith("lk_") or len(shown) >= 12
    return shown


def test_a_key_is_shown_once_works_rotates_and_is_revoked(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.admin, then="/admin/keys")
    page.fill("#f-name", "acc-reader")
    page.uncheck("input[name=scopes][value=events]")
    page.check("input[name=scopes][value=read]")
    with page.expect_response("**/admin/keys") as answer:
        page.click("form.access-form button.primary")
    assert answer.value.status == 200
    assert answer.value.headers["cache-control"] == "no-store"
    secret = _secret(page)
    expect(page.locator(".access-warning").first).to_contain_text("不会再次显示")
    shot(page, "access-key-created-once")
    assert _status(platform, secret) == 200  # a read key reads the board

    page.goto("/admin/keys")
    assert secret not in page.content()
    row = page.locator("tr[data-key=acc-reader]")
    expect(row).to_contain_text(secret[: len("lk_") + 8])
    expect(row).to_contain_text("有效")
    shot(page, "access-keys-list")
    desk = open_page(viewport=DESK)
    sign_in(desk, org.admin, then="/admin/keys")
    shot(desk, "access-keys-list-desk")

    row.locator("text=轮换").click()
    page.click("form.access-form button.primary")
    rotated = _secret(page)
    assert rotated != secret
    wait_until(lambda: _status(platform, secret) == 401, timeout=15, what="the old key refused")
    assert _status(platform, rotated) == 200

    page.goto("/admin/keys")
    page.locator("tr[data-key=acc-reader]").locator("text=吊销").click()
    expect(page.locator(".access-warning")).to_contain_text("立即失效")
    shot(page, "access-key-revoke-confirm")
    page.click("form.access-form button.primary")
    expect(page.locator(".notice")).to_contain_text("已吊销")
    expect(page.locator("tr[data-key=acc-reader]")).to_contain_text("已吊销")
    wait_until(lambda: _status(platform, rotated) == 401, timeout=15, what="the key refused")


def test_key_form_errors_are_said_by_the_field(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.admin, then="/admin/keys")
    page.fill("#f-name", "acc bad name")
    page.uncheck("input[name=scopes][value=events]")
    page.fill("#f-expires_on", "2020-01-01")
    with page.expect_response("**/admin/keys") as answer:
        page.click("form.access-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-name")).to_be_visible()
    expect(page.locator("#e-scopes")).to_have_text("请至少选择一项权限范围。")
    expect(page.locator("#e-expires_on")).to_be_visible()


def test_an_account_for_a_member_and_a_role_limited_to_a_unit(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/admin/accounts")
    page.fill("#f-staff_no", "acc-nobody")
    page.click("form[action='/admin/accounts'] button.primary")
    expect(page.locator("#e-staff_no")).to_have_text("没有这个工号的人员。")
    page.fill("#f-staff_no", acc["member"])
    with page.expect_response("**/admin/accounts") as answer:
        page.click("form[action='/admin/accounts'] button.primary")
    assert answer.value.headers["cache-control"] == "no-store"
    first = page.locator("[data-testid=secret]").inner_text().strip()
    signed = platform.call("POST", "/api/v1/auth/sign-in",
                           {"staff_no": acc["member"], "password": first}, key="")  # fmt: skip
    assert signed.status == 200, signed.body
    page.goto("/admin/accounts")
    assert first not in page.content()
    page.fill("#f-grant_staff_no", acc["member"])
    page.select_option("#f-role", "reviewer")
    page.fill("#f-unit", "acc-u1")
    page.click("form[action='/admin/accounts/roles'] button.primary")
    expect(page.locator(".notice")).to_contain_text("已授予")
    row = page.locator(f"tr[data-account={acc['member']}]")
    expect(row).to_contain_text("审核员 · acc-u1")
    shot(page, "access-accounts-desk")
    phone = open_page()
    sign_in(phone, org.admin, then="/admin/accounts")
    shot(phone, "access-accounts")
    listed = platform.call("GET", "/api/v1/auth/accounts", key=org.admin_token).body["items"]
    mine = next(a for a in listed if a["staff_no"] == acc["member"])
    assert {"role": "reviewer", "unit": "acc-u1"} in mine["roles"]


def _total(platform: Platform, org: Agency, staff_no: str) -> int:
    profile = platform.call("GET", f"/api/v1/members/{staff_no}/profile", key=org.admin_token)
    assert profile.status == 200, profile.body
    total: int = profile.body["total_points"]
    return total


def _adjust(page: Page, staff_no: str, points: str, reason: str) -> Any:
    page.goto("/admin/adjustments")
    page.fill("#f-staff_no", staff_no)
    page.fill("#f-points", points)
    page.fill("#f-reason", reason)
    with page.expect_response("**/admin/adjustments") as answer:
        page.click("form.access-form button.primary")
    return answer.value


def test_an_adjustment_moves_the_figures_and_is_in_the_audit_log(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.admin, then="/admin/adjustments")
    before = _total(platform, org, acc["member"])
    assert _adjust(page, acc["member"], "7", "协助组织读书会").status == 302
    expect(page.locator(".notice")).to_contain_text(acc["member"])
    assert _total(platform, org, acc["member"]) == before + 7
    assert _adjust(page, acc["member"], "-7", "更正：重复计分").status == 302
    assert _total(platform, org, acc["member"]) == before

    page.goto(f"/admin/audit?member={acc['member']}&action=adjustment&actor=member:a01")
    rows = page.locator("table.access-points-log tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("-7 · 更正：重复计分")
    expect(rows.nth(1)).to_contain_text("+7 · 协助组织读书会")
    expect(page.locator("#points-log")).to_contain_text("积分更正")
    expect(page.locator("#door-log")).to_contain_text("登录与访问")
    shot(page, "access-audit-filtered")
    desk = open_page(viewport=DESK)
    sign_in(desk, org.admin, then="/admin/audit")
    desk.goto(page.url)
    shot(desk, "access-audit-filtered-desk")
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    page.goto(f"/admin/audit?member={acc['member']}&since={today}&until={today}")
    expect(rows).to_have_count(2)
    page.goto(f"/admin/audit?member={acc['member']}&until={today - timedelta(days=1)}")
    expect(rows).to_have_text(["没有符合条件的记录。"])
    page.goto(f"/admin/audit?member={acc['member']}&since={today + timedelta(days=1)}")
    expect(rows).to_have_text(["没有符合条件的记录。"])
    page.goto("/admin/audit?action=sign-in&actor=member:a01")
    expect(page.locator("table.access-door-log tbody tr").first).to_contain_text("登录")
    answer = page.goto("/admin/audit?since=2026-02-30&actor=a%20b")
    assert answer is not None and answer.status == 422
    expect(page.locator("#e-since")).to_have_text("请按 2026-12-31 的格式填写日期。")
    expect(page.locator("#e-actor")).to_be_visible()


def test_the_audit_log_pages(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    path = f"/api/v1/members/{acc['theirs']}/adjustments"
    for n in range(22):
        body = {"points": 1 if n % 2 == 0 else -1, "reason": f"分页 {n}"}
        made = platform.call("POST", path, body, key=org.admin_token)
        assert made.status == 201, made.body
    page = open_page()
    sign_in(page, org.admin, then=f"/admin/audit?member={acc['theirs']}")
    rows = page.locator("table.access-points-log tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("分页 21")
    expect(page.locator(".access-pager").first).to_contain_text("第 1 页，共 2 页")
    page.locator(".access-pager").first.locator("text=较早").click()
    expect(rows.last).to_contain_text("分页 0")
    expect(page.locator(".access-pager").first).to_contain_text("第 2 页，共 2 页")


def test_adjustment_refusals_are_said_by_the_field(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.admin, then="/admin/adjustments")
    before = _total(platform, org, acc["member"])
    assert _adjust(page, acc["member"], "0", "").status == 422
    expect(page.locator("#e-points")).to_contain_text("不能为 0")
    expect(page.locator("#e-reason")).to_contain_text("请填写原因")
    shot(page, "access-adjustment-error")
    desk = open_page(viewport=DESK)
    sign_in(desk, org.admin, then="/admin/adjustments")
    assert _adjust(desk, acc["member"], "0", "").status == 422
    shot(desk, "access-adjustment-error-desk")
    assert _adjust(page, "acc-nobody", "5", "不存在的人").status == 404
    expect(page.locator("#e-staff_no")).to_have_text("没有这个工号的人员。")
    assert _adjust(page, acc["member"], "five", "文字").status == 422
    expect(page.locator("#e-points")).to_be_visible()
    assert _total(platform, org, acc["member"]) == before


def test_staff_are_refused_every_page(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    for path in PAGES:
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
        expect(page.locator("h1")).to_have_text("你无权查看或执行此操作。")


def test_an_admin_of_one_unit_adjusts_there_only(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, acc["unit_admin"])
    for path in ("/admin/keys", "/admin/accounts", "/admin/audit"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
    before = _total(platform, org, acc["theirs"])
    assert _adjust(page, acc["theirs"], "3", "本科室表彰").status == 302
    assert _total(platform, org, acc["theirs"]) == before + 3
    assert _adjust(page, acc["member"], "3", "越权").status == 403
    expect(page.locator("#e-staff_no")).to_contain_text("不在你管理的单位")


def test_a_form_without_its_csrf_token_is_refused(
    open_page: Opener, org: Agency, platform: Platform, acc: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.admin)
    cookie = next(c for c in page.context.cookies() if c["name"] == "li_session")
    headers = {"Cookie": f"li_session={cookie['value']}"}
    forms = {
        "/admin/keys": {"name": "acc-forged", "scopes": "admin"},
        "/admin/accounts": {"staff_no": acc["theirs"]},
        "/admin/accounts/roles": {"grant_staff_no": org.staff, "role": "admin"},
        "/admin/adjustments": {"staff_no": acc["theirs"], "points": "100", "reason": "x"},
    }
    for path, fields in forms.items():
        url = f"{platform.base_url}{path}"
        answer = platform.http.request(
            "POST", url, fields=fields, headers=headers, encode_multipart=False, redirect=False
        )
        assert answer.status == 403, path
    keys = platform.call("GET", "/api/v1/auth/keys", key=org.admin_token).body["items"]
    assert "acc-forged" not in {k["name"] for k in keys}
