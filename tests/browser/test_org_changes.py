"""Changing and cancelling on the organisation pages, as the agency's admin a01: a session and
a quiz changed through their forms (filled with what they are now; a mistake said next to its
field, 422), each cancelled after a confirmation and shown as cancelled in the lists; a sign-in
sheet for a running session checked by a dry run (its bad rows with their lines and reasons)
and applied, after which the session's figures count it. Staff get the 403 page, another
region's admin is refused by the API, a form without its CSRF token is a 403."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, PHONE, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser

CLASS = "act2-class"  # the three members every session and quiz here is for
REGION_ADMIN = "act2-adm"  # an admin of the second area only
SHEET = (
    "工号,签到状态\n"
    "act2-m01,准时\n"
    "act2-m02,迟到\n"
    "act2-m03,旷工\n"  # line 4: no such status
    "act2-zz9,准时\n"  # line 5: no such member
)


def _local(moment: datetime) -> str:
    """A time as the organisation's clock shows it (Asia/Shanghai), for a form field."""
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def made(platform: Platform, org: Agency) -> dict[str, str]:
    """A unit of three members, a session for them in two days, one running now, a quiz that
    opens tomorrow, and another area's admin."""
    unit = {"code": CLASS, "name": "变更测试班", "parent": "a1"}
    assert platform.call("POST", "/api/v1/units", unit).status == 201
    for staff_no, name in (("act2-m01", "韩梅"), ("act2-m02", "林涛"), ("act2-m03", "许静")):
        body = {"staff_no": staff_no, "name": name, "unit": CLASS}
        assert platform.call("POST", "/api/v1/members", body).status == 201
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    later = now + timedelta(days=2)
    ids = {}
    running = now - timedelta(minutes=30)
    for name, starts in (("later", later), ("now", running)):
        ends = starts + timedelta(hours=2, minutes=30)
        session = {"title": f"保密工作学习（{name}）", "starts_at": starts.isoformat(),
                   "ends_at": ends.isoformat(), "place": "五楼会议室",
                   "expected": {"units": [CLASS]}}  # fmt: skip
        answer = platform.call("POST", "/api/v1/sessions", session)
        assert answer.status == 201, answer.body
        ids[name] = answer.body["id"]
    opens = now + timedelta(days=1)
    quiz = {"id": f"act2-quiz-{uuid.uuid4().hex[:6]}", "title": "档案管理测验", "max_score": 100,
            "pass_mark": 60, "opens_at": opens.isoformat(),
            "closes_at": (opens + timedelta(hours=2)).isoformat(), "units": [CLASS]}  # fmt: skip
    assert platform.call("POST", "/api/v1/quizzes", quiz).status == 201
    member = {"staff_no": REGION_ADMIN, "name": "邓超", "unit": "a2"}
    assert platform.call("POST", "/api/v1/members", member).status == 201
    account(platform, platform.client.default_key(), REGION_ADMIN, ("admin", "a2"))
    return {**ids, "quiz": quiz["id"]}


def admin_page(open_page: Opener, org: Agency, then: str, **kwargs: object) -> Page:
    page = open_page(**kwargs)
    sign_in(page, org.admin, then=then)
    return page


def test_a_session_is_changed_then_cancelled(
    open_page: Opener, org: Agency, made: dict[str, str], platform: Platform
) -> None:
    page = admin_page(open_page, org, f"/admin/sessions/{made['later']}", viewport=DESK)
    page.click("#edit-session")
    expect(page.locator("h1")).to_have_text("修改学习活动")
    expect(page.locator("#f-title")).to_have_value("保密工作学习（later）")
    expect(page.locator("#f-place")).to_have_value("五楼会议室")
    expect(page.locator("#f-units option:checked")).to_have_attribute("value", CLASS)
    starts = page.locator("#f-starts_at").input_value()
    page.fill("#f-title", "保密工作专题学习")
    page.fill("#f-ends_at", (datetime.fromisoformat(starts) + timedelta(days=2)).isoformat()[:16])
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#session-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-ends_at")).to_have_text("一次学习活动最长一天。")
    expect(page.locator("#f-title")).to_have_value("保密工作专题学习")
    shot(page, "session-edit")
    page.set_viewport_size(PHONE)
    shot(page, "session-edit-phone")
    page.fill("#f-ends_at", (datetime.fromisoformat(starts) + timedelta(hours=3)).isoformat()[:16])
    page.fill("#f-place", "")
    page.fill("#f-lecturer", "王主任")
    page.click("#session-form button.primary")
    expect(page.locator(".notice")).to_have_text("更改已保存。")
    expect(page.locator("h1")).to_contain_text("保密工作专题学习")
    study = platform.call("GET", f"/api/v1/sessions/{made['later']}").body
    assert (study["place"], study["lecturer"]) == (None, "王主任")
    hours = datetime.fromisoformat(study["ends_at"]) - datetime.fromisoformat(study["starts_at"])
    assert hours == timedelta(hours=3)

    page.click("#cancel-session summary")
    shot(page, "session-cancel-confirm")
    page.click("#cancel-session button.danger")
    expect(page.locator(".notice").first).to_contain_text("已取消")
    expect(page.locator("[data-testid=cancelled]")).to_be_visible()
    expect(page.locator("#edit-session")).to_have_count(0)
    assert platform.call("GET", f"/api/v1/sessions/{made['later']}").body["state"] == "cancelled"
    page.goto("/admin/sessions?when=upcoming")
    row = page.locator("[data-testid=sessions] tr.cancelled", has_text="保密工作专题学习")
    expect(row).to_contain_text("已取消")


def test_a_quiz_is_changed_then_cancelled(
    open_page: Opener, org: Agency, made: dict[str, str], platform: Platform
) -> None:
    page = admin_page(open_page, org, f"/admin/quizzes/{made['quiz']}", viewport=DESK)
    page.click("#edit-quiz")
    expect(page.locator("#f-title")).to_have_value("档案管理测验")
    expect(page.locator("#f-max_score")).to_have_value("100")
    expect(page.locator("#f-id")).to_have_count(0)  # the events' name for it stays
    page.fill("#f-pass_mark", "120")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#quiz-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-pass_mark")).to_be_visible()
    page.fill("#f-pass_mark", "80")
    page.click("#quiz-form button.primary")
    expect(page.locator(".notice")).to_have_text("更改已保存。")
    assert platform.call("GET", f"/api/v1/quizzes/{made['quiz']}").body["pass_mark"] == 80

    page.click("#cancel-quiz summary")
    page.click("#cancel-quiz button.danger")
    expect(page.locator(".notice").first).to_contain_text("已取消")
    assert platform.call("GET", f"/api/v1/quizzes/{made['quiz']}").body["state"] == "cancelled"
    page.goto("/admin/quizzes?state=cancelled")
    expect(
        page.locator("[data-testid=quizzes] tr.cancelled", has_text="档案管理测验")
    ).to_be_visible()


def test_a_sign_in_sheet_is_checked_then_applied(
    open_page: Opener, org: Agency, made: dict[str, str], platform: Platform, tmp_path: Path
) -> None:
    sheet = tmp_path / "签到表.csv"
    sheet.write_bytes(SHEET.encode("gb18030"))
    page = admin_page(open_page, org, f"/admin/sessions/{made['now']}", viewport=DESK)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#sheet-upload button.primary")  # no file: said next to the field
    assert answer.value.status == 422
    expect(page.locator("#e-file")).to_be_visible()
    shot(page, "sheet-upload-error")
    page.set_input_files("#f-file", str(sheet))
    page.click("#sheet-upload button.primary")
    expect(page.locator("[data-testid=dry-run]")).to_contain_text("尚未作任何更改")
    expect(page.locator("[data-testid=counts] tr.created td")).to_have_text("2")
    expect(page.locator("[data-testid=counts] tr.rejected td")).to_have_text("2")
    rejected = page.locator("table[data-action=rejected] tbody tr")
    expect(rejected.locator("td.num")).to_have_text(["4", "5"])
    expect(rejected.first).to_contain_text("act2-m03")
    expect(page.locator("table[data-action=created]")).to_contain_text("准时")
    shot(page, "sheet-dry-run")
    page.set_viewport_size(PHONE)
    shot(page, "sheet-dry-run-phone")
    figures = f"/api/v1/sessions/{made['now']}/figures"
    assert platform.call("GET", figures).body["totals"]["on_time"] == 0  # nothing changed yet
    page.click("#sheet-apply button.primary")
    expect(page.locator(".notice")).to_have_text("签到表已导入。")
    totals = platform.call("GET", figures).body["totals"]
    assert (totals["expected"], totals["on_time"], totals["late"], totals["pending"]) == (
        3,
        1,
        1,
        1,
    )
    tiles = page.locator("[data-testid=session-figures] .tile .figure")
    expect(tiles).to_have_text(["3", "1", "1", "0", "0", "1", "67%"])


def test_staff_and_another_region_are_refused_and_csrf_is_needed(
    open_page: Opener, org: Agency, made: dict[str, str], platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.staff)
    for path in (f"/admin/sessions/{made['now']}/edit", f"/admin/sessions/{made['now']}/sheet",
                 f"/admin/quizzes/{made['quiz']}/edit"):  # fmt: skip
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
    region = open_page()
    sign_in(region, REGION_ADMIN, then=f"/admin/sessions/{made['now']}")
    region.click("#cancel-session summary")
    with region.expect_response(lambda r: r.request.method == "POST") as answer:
        region.click("#cancel-session button.danger")
    assert answer.value.status == 403
    expect(region.locator("h1")).to_have_text("你无权查看或执行此操作。")
    admin = admin_page(open_page, org, "/admin")
    refused = admin.request.post(f"/admin/sessions/{made['now']}", form={"action": "cancel"})
    assert refused.status == 403
    assert platform.call("GET", f"/api/v1/sessions/{made['now']}").body["state"] == "scheduled"
