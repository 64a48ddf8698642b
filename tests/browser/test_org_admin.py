"""The admin console's landing page and the organisation pages, as the agency's admin a01: a
unit and a member added through the forms (a bad staff number said next to its field, 422),
a roster checked by a dry run and then applied, a session scheduled and one closed by hand
with its figures, a quiz created and one's figures with the distribution chart. A staff
member opening any admin page gets the 403 page; a form without its CSRF token is a 403."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser

BASE = "org-base"  # the forms' and the roster's unit
CLASS = "org-class"  # below it: the two members a session and a quiz are for
REGION_ADMIN = "org-adm"  # an admin of the second area only
ROSTER = (
    "工号,姓名,部门,在职\n"
    "org-r01,周明,org-base,是\n"
    "org-r02,吴燕,a1 > org-base,是\n"
    "org-r03,郑华,org-nowhere,是\n"  # line 4: no such unit
)


def _local(moment: datetime) -> str:
    """A time as the organisation's clock shows it (Asia/Shanghai), for a form field."""
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def base(platform: Platform, org: Agency) -> dict[str, str]:
    """Units of this area's own, one with two members, a session for them that began half an
    hour ago with one of them on time, and an open quiz both took."""
    for code, name, parent in ((BASE, "学习测试科", "a1"), (CLASS, "测试班", BASE)):
        made = platform.call(
            "POST", "/api/v1/units", {"code": code, "name": name, "parent": parent}
        )
        assert made.status == 201, made.body
    for staff_no, name in (("org-m01", "孙丽"), ("org-m02", "钱进")):
        body = {"staff_no": staff_no, "name": name, "unit": CLASS}
        assert platform.call("POST", "/api/v1/members", body).status == 201
    now = datetime.now(UTC).replace(microsecond=0)
    session = {"title": "依法行政专题学习", "starts_at": (now - timedelta(minutes=30)).isoformat(),
               "ends_at": (now - timedelta(minutes=5)).isoformat(), "place": "三楼会议室",
               "expected": {"units": [CLASS]}}  # fmt: skip
    study = platform.call("POST", "/api/v1/sessions", session)
    assert study.status == 201, study.body
    quiz = {"id": "org-quiz-1", "title": "法规知识测验", "max_score": 100, "pass_mark": 60,
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(hours=1)).isoformat(), "units": [CLASS]}  # fmt: skip
    assert platform.call("POST", "/api/v1/quizzes", quiz).status == 201
    at = (now - timedelta(minutes=29)).isoformat()
    events = [_event("attendance", "org-m01", at, {"session": study.body["id"]})]
    events += [_event("quiz", m, at, {"quiz": "org-quiz-1", "score": s})
               for m, s in (("org-m01", 95), ("org-m02", 55))]  # fmt: skip
    status, answer = platform.post_events(events)
    assert status == 201, answer
    admin_key = platform.client.default_key()
    absent = account(platform, admin_key, "org-m02")  # sends an excuse for the session
    excuse = {"reason": "外出执法，无法参加"}
    sent = platform.call("POST", f"/api/v1/sessions/{study.body['id']}/excuses", excuse, key=absent)
    assert sent.status == 201, sent.body
    made = platform.call("POST", "/api/v1/members", {"staff_no": REGION_ADMIN, "name": "冯刚",
                                                     "unit": "a2"})  # fmt: skip
    assert made.status == 201, made.body
    account(platform, admin_key, REGION_ADMIN, ("admin", "a2"))
    return {"session": study.body["id"], "quiz": "org-quiz-1"}


def _event(kind: str, member: str, at: str, data: dict[str, object]) -> dict[str, object]:
    return {"id": f"org-{uuid.uuid4().hex}", "type": kind, "member": member,
            "occurred_at": at, "data": data}  # fmt: skip


def admin_page(open_page: Opener, org: Agency, then: str, **kwargs: object) -> Page:
    page = open_page(**kwargs)
    sign_in(page, org.admin, then=then)
    return page


def test_the_landing_page_links_every_admin_area(open_page: Opener, org: Agency) -> None:
    page = admin_page(open_page, org, "/admin", viewport=DESK)
    expect(page.locator("h1")).to_have_text("管理")
    for path in ("/admin/units", "/admin/roster", "/admin/sessions", "/admin/quizzes",
                 "/admin/rules", "/admin/keys", "/admin/accounts", "/admin/adjustments",
                 "/admin/audit", "/admin/exports", "/admin/figures", "/admin/delivery",
                 "/admin/silent", "/admin/surveys"):  # fmt: skip
        expect(page.locator(f".admin-areas a[href='{path}']")).to_have_count(1)
    shot(page, "admin-home")


def test_a_unit_and_a_member_through_the_forms(
    open_page: Opener, org: Agency, base: dict[str, str]
) -> None:
    page = admin_page(open_page, org, "/admin/units", viewport=DESK)
    page.fill("#f-code", "org-team")
    page.fill("#f-name", "学习一组")
    page.select_option("#f-parent", BASE)
    page.click("#add-unit button.primary")
    expect(page.locator(".notice")).to_have_text("单位已添加。")
    expect(page.locator("tr[data-unit=org-team]")).to_contain_text("学习一组")
    expect(page.locator(f"tr[data-unit={CLASS}] td.num")).to_have_text("2")
    shot(page, "org-units")
    page.fill("#f-code", "org-team")  # the same code again: the API's 409, said on the form
    page.fill("#f-name", "重复")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#add-unit button.primary")
    assert answer.value.status == 409
    expect(page.locator(".form-error")).to_be_visible()

    page.goto("/admin/units/org-team")
    page.fill("#f-staff_no", "org 01!")
    page.fill("#f-name", "错号")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#add-member button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-staff_no")).to_contain_text("工号")
    expect(page.locator("#f-staff_no")).to_have_value("org 01!")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "org-member-error")
    page.fill("#f-staff_no", "org-m03")
    page.fill("#f-name", "李强")
    page.click("#add-member button.primary")
    expect(page.locator("tr[data-member=org-m03]")).to_contain_text("李强")

    row = page.locator("tr[data-member=org-m03]")
    row.locator("select").select_option(BASE)
    row.locator("button[name=move]").click()
    expect(page.locator(".notice")).to_contain_text("已调动")
    page.goto(f"/admin/units/{BASE}?q=李强")
    row = page.locator("tr[data-member=org-m03]")
    expect(page.locator("table.members tbody tr")).to_have_count(1)
    row.locator("button[name=active]").click()
    expect(page.locator("tr[data-member=org-m03] .state")).to_have_text("已停用")
    shot(page, "org-unit-phone")


def test_a_roster_is_checked_by_a_dry_run_then_applied(
    open_page: Opener, org: Agency, base: dict[str, str], tmp_path: Path
) -> None:
    roster = tmp_path / "花名册.csv"
    roster.write_bytes(("\ufeff" + ROSTER).encode())
    page = admin_page(open_page, org, "/admin/roster", viewport=DESK)
    page.click("#roster-upload button.primary")  # no file: said next to the field
    expect(page.locator("#e-file")).to_be_visible()
    page.set_input_files("#f-file", str(roster))
    page.click("#roster-upload button.primary")
    expect(page.locator("[data-testid=dry-run]")).to_contain_text("尚未作任何更改")
    expect(page.locator("[data-testid=counts] tr.created td")).to_have_text("2")
    expect(page.locator("[data-testid=counts] tr.rejected td")).to_have_text("1")
    expect(page.locator("table[data-action=rejected]")).to_contain_text("org-r03")
    shot(page, "roster-dry-run")
    page.goto(f"/admin/units/{BASE}")
    expect(page.locator("tr[data-member=org-r01]")).to_have_count(0)  # a dry run changed nothing
    page.go_back()
    page.click("#roster-apply button.primary")
    expect(page.locator(".notice")).to_contain_text("花名册已导入")
    page.goto(f"/admin/units/{BASE}")
    expect(page.locator("tr[data-member=org-r01]")).to_contain_text("周明")
    expect(page.locator("tr[data-member=org-r02]")).to_contain_text("吴燕")


def test_a_session_is_scheduled_listed_and_closed_by_hand(
    open_page: Opener, org: Agency, base: dict[str, str]
) -> None:
    page = admin_page(open_page, org, "/admin/sessions/new", viewport=DESK)
    page.fill("#f-title", "公文写作培训")
    starts = datetime.now(UTC) + timedelta(days=2)
    page.fill("#f-starts_at", _local(starts))
    page.fill("#f-ends_at", _local(starts - timedelta(hours=1)))  # ends before it starts
    page.fill("#f-place", "二楼培训室")
    page.select_option("#f-units", [BASE])
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#session-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-ends_at")).to_be_visible()
    page.fill("#f-ends_at", _local(starts + timedelta(hours=1)))
    shot(page, "session-form")
    page.click("#session-form button.primary")
    expect(page.locator(".notice")).to_have_text("学习活动已安排。")
    expect(page.locator("[data-testid=sessions]")).to_contain_text("公文写作培训")

    page.goto(f"/admin/sessions/{base['session']}")
    figures = page.locator("[data-testid=session-figures]")
    expect(figures.locator(".tile").first).to_contain_text("2")
    excuse = page.locator("[data-testid=excuses] tbody tr").first
    expect(excuse).to_contain_text("外出执法")
    excuse.locator("input[name=note]").fill("情况属实")
    excuse.locator("button[value=approve]").click()
    expect(page.locator(".notice")).to_have_text("请假已审批。")
    expect(page.locator("[data-testid=excuses]")).to_contain_text("已批准")
    page.click("button[value=close]")
    expect(page.locator(".notice")).to_contain_text("已结束")
    expect(figures.locator(".tile .figure")).to_have_text(["2", "1", "0", "1", "0", "0", "50%"])
    shot(page, "session-figures")


def test_a_weekly_series_is_scheduled(open_page: Opener, org: Agency, base: dict[str, str]) -> None:
    page = admin_page(open_page, org, "/admin/sessions/new", viewport=DESK)
    page.fill("#f-title", "每周理论学习")
    page.check("input[name=kind][value=weekly]")
    expect(page.locator("#f-starts_at")).to_be_hidden()
    page.select_option("#f-weekday", "thursday")
    page.fill("#f-time", "15:00")
    page.fill("#f-duration_minutes", "90")
    page.fill("#f-first", (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%d"))
    page.fill("#f-count", "0")  # not a count
    page.fill("#f-link", "https://learn.example.cn/room/7")
    page.select_option("#f-units", [CLASS])
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#session-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-count")).to_be_visible()
    page.fill("#f-count", "3")
    page.click("#session-form button.primary")
    expect(page.locator(".notice")).to_have_text("每周学习活动已安排。")
    listed = page.locator("[data-testid=sessions] tr", has_text="每周理论学习")
    expect(listed).to_have_count(3)


def test_a_quiz_is_created_and_figures_drawn(
    open_page: Opener, org: Agency, base: dict[str, str]
) -> None:
    page = admin_page(open_page, org, "/admin/quizzes/new", viewport=DESK)
    opens = datetime.now(UTC) + timedelta(days=1)
    page.fill("#f-id", "org-quiz-2")
    page.fill("#f-title", "保密知识测验")
    page.fill("#f-opens_at", _local(opens))
    page.fill("#f-closes_at", _local(opens + timedelta(hours=2)))
    page.fill("#f-max_score", "100")
    page.fill("#f-pass_mark", "120")  # above the maximum
    page.select_option("#f-units", [BASE])
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#quiz-form button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-pass_mark")).to_be_visible()
    page.fill("#f-pass_mark", "60")
    page.click("#quiz-form button.primary")
    expect(page.locator(".notice")).to_have_text("测验已创建。")
    page.goto("/admin/quizzes")
    expect(page.locator("[data-testid=quizzes]")).to_contain_text("保密知识测验")

    page.goto(f"/admin/quizzes/{base['quiz']}")
    tiles = page.locator("[data-testid=quiz-figures] .tile .figure")
    expect(tiles).to_have_text(["2", "2", "1", "75"])
    expect(page.locator(".chart canvas")).to_have_count(1)
    shot(page, "quiz-figures")


def test_staff_get_the_403_page_on_every_admin_page(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    for path in ("/admin", "/admin/units", "/admin/roster", "/admin/sessions/new",
                 f"/admin/units/{BASE}", "/admin/quizzes"):  # fmt: skip
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
        expect(page.locator("h1")).to_have_text("你无权查看或执行此操作。")


def test_a_region_admin_gets_the_403_page_outside_their_region(
    open_page: Opener, org: Agency, base: dict[str, str], platform: Platform
) -> None:
    page = open_page()
    sign_in(page, REGION_ADMIN, then="/admin")
    expect(page.locator("[data-testid=admin-reach]")).to_contain_text("a2")
    page.goto(f"/admin/units/{BASE}")
    page.fill("#f-staff_no", "org-m09")
    page.fill("#f-name", "越权")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#add-member button.primary")
    assert answer.value.status == 403
    expect(page.locator("h1")).to_have_text("你无权查看或执行此操作。")
    assert platform.call("GET", "/api/v1/members/org-m09").status == 404


def test_a_form_without_its_csrf_token_is_refused(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = admin_page(open_page, org, "/admin/units")
    answer = page.request.post("/admin/units", form={"code": "org-csrf", "name": "无令牌"})
    assert answer.status == 403
    made = platform.call("GET", "/api/v1/units/org-csrf")
    assert made.status == 404
