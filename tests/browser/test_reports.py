"""Practice reports on the pages, in Chinese: a member writes a report, saves the draft,
attaches a file and submits it; their reviewer scores it by the rubric after returning it once
with a comment, which the member sees and answers; every state change is shown with who and
when. The refusals: a staff member opening the review queue, a reviewer outside their units,
empty fields, a file too large or not what it claims, a missing rubric score, a transition no
longer allowed (409), a form without its CSRF token; and the near-copy warning."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import PASSWORD, account

pytestmark = pytest.mark.browser

RUBRIC = {
    "name": "实践报告评分标准",
    "reviewers": 1,
    "criteria": [
        {"code": "relevance", "title": "学以致用", "max": 5, "weight": 1},
        {"code": "effect", "title": "工作成效", "max": 5, "weight": 2},
    ],
    "bands": [
        {"min_total": 85, "rating": "A"},
        {"min_total": 60, "rating": "B"},
        {"min_total": 0, "rating": None},
    ],
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORBIDDEN = "你无权查看或执行此操作。"


@pytest.fixture(scope="module")
def cast(platform: Platform, org: Agency) -> dict[str, str]:
    """The rubric, a study session for a1, a second member of a1 (for a near copy) and a
    reviewer of a2 only."""
    made = platform.call("POST", "/api/v1/report-rubrics", RUBRIC, key=org.admin_token)
    assert made.status == 201, made.body
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    talk = {
        "title": "依法行政专题学习会",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "expected": {"units": ["a1"]},
    }
    made = platform.call("POST", "/api/v1/sessions", talk, key=org.admin_token)
    assert made.status == 201, made.body
    for staff_no, name, unit in (("rep-s2", "周晓", "a1-t2"), ("rep-r2", "吴刚", "a2-field")):
        body = {"staff_no": staff_no, "name": name, "unit": unit}
        assert platform.call("POST", "/api/v1/members", body, key=org.admin_token).status == 201
    return {
        "session": made.body["id"],
        "rep-s2": account(platform, org.admin_token, "rep-s2"),
        "rep-r2": account(platform, org.admin_token, "rep-r2", ("reviewer", "a2")),
        "s01": _token(platform, org.staff),
    }


def _token(platform: Platform, staff_no: str) -> str:
    body = {"staff_no": staff_no, "password": PASSWORD}
    signed = platform.call("POST", "/api/v1/auth/sign-in", body, key="")
    assert signed.status == 200, signed.body
    return str(signed.body["access_token"])


def _submitted(platform: Platform, token: str, **body: Any) -> int:
    report = {
        "title": "窗口材料一次性告知",
        "learned": {"kind": "topic", "text": "优化营商环境"},
        "applied": "在窗口受理时对照清单一次性告知申请人需要补正的全部材料。",
        "result": "群众二次跑腿明显减少。",
        **body,
    }
    made = platform.call("POST", "/api/v1/reports", report, key=token)
    assert made.status == 201, made.body
    sent = platform.call("POST", f"/api/v1/reports/{made.body['id']}/submit", key=token)
    assert sent.status == 200, sent.body
    return int(made.body["id"])


def _write(page: Page, title: str) -> int:
    _fill(page, title)
    page.click("form.card button.primary")
    page.wait_for_url(re.compile(r"/reports/\d+\?done=saved"))
    return int(re.search(r"/reports/(\d+)", page.url).group(1))  # type: ignore[union-attr]


def _fill(page: Page, title: str) -> None:
    page.goto("/reports/new")
    page.fill("#f-title", title)
    page.select_option("#f-kind", "topic")
    page.fill("#f-text", "基层治理中的矛盾纠纷化解")
    page.fill("#f-applied", "把课上学到的“四步调解法”用在社区纠纷调处中，先听后议再定。")
    page.fill("#f-result", "本月调处纠纷 6 件，全部当场化解。")
    page.fill("#f-links", "https://example.org/case/12")


def test_a_report_is_written_returned_revised_and_approved(
    open_page: Opener, org: Agency, cast: dict[str, str]
) -> None:
    staff = open_page()
    sign_in(staff, org.staff, then="/reports")
    staff.click("text=撰写报告")
    expect(staff.locator("h1")).to_have_text("撰写报告")
    _fill(staff, "用调解法化解邻里纠纷")
    shot(staff, "report-form")
    staff.click("form.card button.primary")
    staff.wait_for_url(re.compile(r"/reports/\d+\?done=saved"))
    report = int(re.search(r"/reports/(\d+)", staff.url).group(1))  # type: ignore[union-attr]
    expect(staff.locator(".notice")).to_have_text("草稿已保存。")
    expect(staff.locator(".meta .state")).to_have_text("草稿")
    proof = {"name": "调解记录.png", "mimeType": "image/png", "buffer": PNG}
    staff.set_input_files("#f-file", proof)
    staff.click("form.attach button")
    expect(staff.locator(".notice")).to_have_text("附件已上传。")
    expect(staff.locator("ul.files")).to_contain_text("调解记录.png")
    staff.click("[data-testid=submit]")
    expect(staff.locator(".notice")).to_have_text("报告已提交审核。")
    expect(staff.locator(".meta .state")).to_have_text("已提交")

    reviewer = open_page(viewport=DESK)
    sign_in(reviewer, org.reviewer, then="/review")
    row = reviewer.locator("[data-testid=queue] tr", has_text="用调解法化解邻里纠纷")
    expect(row).to_contain_text("s01")
    shot(reviewer, "review-queue-desk")
    row.locator("a").click()
    expect(reviewer.locator("[data-testid=rubric]")).to_contain_text("工作成效")
    reviewer.fill("#f-return_comment", "请补充调解前后的具体数据。")
    reviewer.click("[data-testid=return]")
    expect(reviewer.locator(".notice")).to_have_text("报告已退回作者修改。")

    staff.goto(f"/reports/{report}")
    expect(staff.locator(".meta .state")).to_have_text("退回修改")
    expect(staff.locator("[data-testid=reviewer-comment]")).to_contain_text("具体数据")
    staff.get_by_role("link", name="修改", exact=True).click()
    staff.fill("#f-result", "本月调处纠纷 6 件，全部当场化解；上月同期仅化解 2 件。")
    staff.click("form.card button.primary")
    staff.click("[data-testid=submit]")
    expect(staff.locator(".meta .state")).to_have_text("已提交")

    reviewer.goto(f"/review/{report}")
    expect(reviewer.locator(".report-content")).to_contain_text("上月同期")
    reviewer.select_option("#f-score-relevance", "5")
    reviewer.select_option("#f-score-effect", "4")  # (5/5 + 2 * 4/5) / 3 = 86.67: A
    reviewer.fill("#f-comment", "数据翔实，值得推广。")
    shot(reviewer, "review-rubric")
    reviewer.click("[data-testid=approve]")
    expect(reviewer.locator(".notice")).to_have_text("报告已审核通过。")
    expect(reviewer.locator("[data-testid=queue]", has_text="用调解法")).to_have_count(0)
    reviewer.goto(f"/review/{report}")
    reviewer.click("[data-testid=mark-exemplary]")
    expect(reviewer.locator("[role=status]")).to_have_text("报告已标记为优秀。")

    staff.goto(f"/reports/{report}")
    expect(staff.locator(".meta .state")).to_have_text("已通过")
    expect(staff.locator("[data-testid=rating]")).to_have_text("等级 A")
    moves = staff.locator("[data-testid=history] li")
    states = ["草稿", "已提交", "审核中", "退回修改", "已提交", "审核中", "已通过"]
    expect(moves.locator(".state")).to_have_text(states)
    expect(moves.nth(3)).to_contain_text("r01")
    expect(moves.nth(3)).to_contain_text("具体数据")
    expect(moves.nth(0).locator(".when")).to_have_text(re.compile(r"\d"))
    shot(staff, "report-show-phone")
    staff.get_by_role("button", name="公开分享").click()
    expect(staff.locator(".notice")).to_have_text("公开设置已保存。")
    staff.goto("/reports/exemplary?scope=unit")
    expect(staff.locator("[data-testid=exemplary]")).to_contain_text("用调解法化解邻里纠纷")
    shot(staff, "reports-exemplary-phone")
    staff.goto("/reports")
    expect(staff.locator("[data-testid=my-reports] li").first).to_contain_text("已通过")
    shot(staff, "reports-list-phone")
    staff.set_viewport_size(DESK)
    shot(staff, "reports-list-desk")


def test_a_staff_member_may_not_open_the_review_queue(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    expect(page.locator("nav.areas")).not_to_contain_text("审核")
    answer = page.goto("/review")
    assert answer is not None and answer.status == 403
    expect(page.locator("h1")).to_have_text(FORBIDDEN)
    report = _write(page, "我自己的报告")
    answer = page.goto(f"/review/{report}")  # even one's own report: the review page is not theirs
    assert answer is not None and answer.status == 403


def test_an_admin_who_reviews_nothing_sees_the_overdue_reports(
    open_page: Opener, org: Agency
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/review")
    expect(page.locator("h1")).to_have_text("超期未审报告")


def test_a_reviewer_outside_the_units_gets_403(
    open_page: Opener, platform: Platform, cast: dict[str, str]
) -> None:
    report = _submitted(platform, cast["s01"], title="只给第一片区看的报告")
    page = open_page()
    sign_in(page, "rep-r2")
    answer = page.goto(f"/review/{report}")
    assert answer is not None and answer.status == 403
    expect(page.locator("h1")).to_have_text(FORBIDDEN)
    assert page.goto("/review").status == 200  # type: ignore[union-attr]
    expect(page.locator("[data-testid=queue]")).to_have_count(0)  # nothing of a1 waits here


def test_bad_input_is_said_next_to_each_field(
    open_page: Opener, org: Agency, platform: Platform, cast: dict[str, str]
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/reports/new")
    with page.expect_response("**/reports/new") as answer:
        page.click("form.card button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-title")).to_have_text("请填写报告标题。")
    expect(page.locator("#e-kind")).to_have_text("请选择学习来源。")
    expect(page.locator("#e-applied")).to_have_text("请说明在工作中如何运用。")
    page.select_option("#f-kind", "session")
    page.fill("#f-ref", "ss-99999")
    page.fill("#f-title", "一份学习会报告")
    page.fill("#f-applied", "用上了。")
    page.fill("#f-result", "有成效。")
    with page.expect_response("**/reports/new") as answer:
        page.click("form.card button.primary")
    assert answer.value.status == 422  # the API's: no such session is kept
    expect(page.locator("#e-ref")).to_have_text("平台上没有该编号的学习会或测验。")
    expect(page.locator("#f-title")).to_have_value("一份学习会报告")
    session = cast["session"]  # the sessions the member is part of are offered
    expect(page.locator(f"#ref-choices option[value='{session}']")).to_contain_text("依法行政")
    page.fill("#f-ref", session)
    page.click("form.card button.primary")
    expect(page.locator(".notice")).to_have_text("草稿已保存。")
    expect(page.locator(".report-content")).to_contain_text(session)

    report = _write(page, "附件检查")
    for name, data, status, said in (
        ("说明.txt", b"plain text", 422, "仅支持 PDF、PNG、JPEG、DOCX 或 XLSX 文件。"),
        ("假图片.png", b"not a picture at all", 422, "文件内容与文件类型不符，或文件为空。"),
        ("大图.png", PNG + b"\x00" * (1024 * 1024), 413, "文件过大：不能超过 1 MB。"),
        ("更大.png", PNG + b"\x00" * (3 * 1024 * 1024), 413, "文件过大：不能超过 1 MB。"),
    ):
        page.set_input_files("#f-file", {"name": name, "mimeType": "image/png", "buffer": data})
        with page.expect_response(f"**/reports/{report}/files") as answer:
            page.click("form.attach button")
        assert answer.value.status == status, name
        expect(page.locator("#e-file")).to_have_text(said)
    expect(page.locator("ul.files")).to_have_count(0)
    shot(page, "report-file-refused-phone")

    other = page.context.new_page()  # the same report open twice: submitted in one
    other.goto(f"/reports/{report}")
    page.goto(f"/reports/{report}")
    page.click("[data-testid=submit]")
    with other.expect_response(f"**/reports/{report}/submit") as answer:
        other.click("[data-testid=submit]")
    assert answer.value.status == 409
    expect(other.locator(".form-error")).to_have_text(
        "报告的状态已变化，无法执行此操作；请查看当前状态。"
    )

    refused = page.request.post("/reports/new", form={"title": "x"})
    assert refused.status == 403  # no CSRF token

    reviewer = open_page()
    sign_in(reviewer, org.reviewer, then=f"/review/{report}")
    reviewer.select_option("#f-score-relevance", "3")
    with reviewer.expect_response(f"**/review/{report}/scores") as answer:
        reviewer.click("[data-testid=approve]")
    assert answer.value.status == 422
    expect(reviewer.locator("#e-score-effect")).to_have_text("请给出 0 至 5 分的评分。")
    expect(reviewer.locator("#f-score-relevance")).to_have_value("3")
    shot(reviewer, "review-rubric-errors-phone")
    with reviewer.expect_response(f"**/review/{report}/reject") as answer:
        reviewer.click("[data-testid=reject]")
    assert answer.value.status == 422
    expect(reviewer.locator("#e-reject_comment")).to_have_text("请填写不予通过的理由。")


def test_a_near_copy_is_shown_to_the_reviewer_with_its_match(
    open_page: Opener, org: Agency, platform: Platform, cast: dict[str, str]
) -> None:
    text = {
        "learned": {"kind": "course", "text": "行政执法规范化"},
        "applied": "执法检查前逐项核对执法清单，现场制作笔录并当场交当事人签字确认，"
        "检查结束后二十四小时内录入系统并上传现场照片。",
        "result": "本季度执法文书差错率由百分之八降到百分之一。",
    }
    first = _submitted(platform, cast["s01"], title="执法文书规范化的做法", **text)
    text["result"] = "本季度执法文书差错率由百分之八降到百分之二。"
    copy = _submitted(platform, cast["rep-s2"], title="执法文书规范化的做法", **text)
    page = open_page(viewport=DESK)
    sign_in(page, org.reviewer, then="/review")
    expect(page.locator("[data-testid=queue] tr", has_text="rep-s2")).to_contain_text("疑似雷同")
    page.goto(f"/review/{copy}")
    warning = page.locator("[data-testid=near-copy]")
    expect(warning).to_contain_text("与此前的报告高度相似")
    expect(warning).to_contain_text("s01")
    expect(warning.locator(".report-content")).to_contain_text("百分之一")
    shot(page, "near-copy")
    phone = open_page()
    sign_in(phone, org.reviewer, then="/review")
    shot(phone, "review-queue-phone")
    page.goto(f"/review/{first}")
    expect(page.locator("[data-testid=near-copy]")).to_have_count(0)
