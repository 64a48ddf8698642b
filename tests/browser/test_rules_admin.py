"""The admin's rule set pages: a draft made and edited in the form, a bad value refused next to
its field, the what-if preview's charts holding exactly the service's answer, publishing at a
local time, comparing versions, re-scoring with its effect first; and the refusals: a staff
member gets the 403 page, a form without its CSRF token is refused."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform

pytestmark = pytest.mark.browser

# Far ahead, so the published version never prices this session's events.
LATER = "2030-01-01T08:00"


def chart(page: Page, testid: str) -> dict[str, Any]:
    element = page.locator(f"[data-testid={testid}]")
    expect(element.locator("canvas").first).to_be_attached()  # ECharts drew it
    option: dict[str, Any] = json.loads(element.get_attribute("data-chart") or "{}")
    return option


def row_of(page: Page, event_type: str) -> str:
    """The form's row prefix of an event type, found by the name in its row."""
    name = page.locator("#part-et input[name$='-name']")
    for i in range(name.count()):
        if name.nth(i).input_value() == event_type:
            return (name.nth(i).get_attribute("name") or "").removesuffix("name")
    raise AssertionError(f"no row for {event_type}")


def new_draft(page: Page, name: str) -> int:
    page.goto("/admin/rules")
    page.fill("#f-name", name)
    page.click("form.rules-new button.primary")
    page.wait_for_url(re.compile(r"/admin/rules/drafts/\d+\?done=created"))
    return int(re.findall(r"/drafts/(\d+)", page.url)[0])


def test_an_admin_writes_checks_previews_publishes_and_compares(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/admin/rules")
    expect(page.locator("[data-testid=versions] tbody tr").first).to_contain_text("生效中")
    shot(page, "rules-list")
    draft = new_draft(page, "rules-quiz-cap")
    expect(page.locator(".notice")).to_have_text("草稿已创建。")

    quiz = row_of(page, "quiz")
    page.fill(f"#f-{quiz}points", "100=12, 90=7, 60=3")
    page.fill("#f-caps-0-name", "quiz")
    page.select_option("#f-caps-0-per", "day")
    page.fill("#f-caps-0-points", "-5")
    with page.expect_response(f"**/admin/rules/drafts/{draft}") as answer:
        page.click(".rules-save button >> nth=0")
    assert answer.value.status == 422
    # The service's range, beside the cap's points, in the reader's language.
    expect(page.locator("#e-caps-0-points")).to_have_text("须在 1 至 10000 之间。")
    expect(page.locator("#f-caps-0-points")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-caps-0-points")).to_have_value("-5")
    expect(page.locator(f"#f-{quiz}points")).to_have_value("100=12, 90=7, 60=3")  # kept
    shot(page, "rules-field-error")

    page.fill("#f-caps-0-points", "8")
    page.click(".rules-save button >> nth=0")
    page.wait_for_url(f"**/admin/rules/drafts/{draft}?done=saved")
    expect(page.locator(".notice")).to_have_text("草稿已保存，校验通过。")
    expect(page.locator("#f-caps-0-points")).to_have_value("8")
    shot(page, "rules-form")

    page.click("text=模拟测算")
    page.click("form.filters button.primary")
    period = {"from": page.input_value("#f-from"), "to": page.input_value("#f-to")}
    status, preview, _ = platform.call(
        "POST", f"/api/v1/drafts/{draft}/preview", period, key=org.admin_token
    )
    assert status == 200, preview
    bars = chart(page, "distribution-chart")
    assert bars["xAxis"]["data"] == [b["change"] for b in preview["distribution"]["change"]]
    assert bars["series"][0]["data"] == [b["members"] for b in preview["distribution"]["change"]]
    assert any(b["members"] for b in preview["distribution"]["change"] if b["change"] != "0")
    movers = chart(page, "movers-chart")
    expected = sorted(preview["movers"]["up"] + preview["movers"]["down"],
                      key=lambda r: (r["change"], r["member"]))  # fmt: skip
    names = {r["member"]: member_name(platform, org, r["member"]) for r in expected}
    assert movers["yAxis"]["data"] == [names[r["member"]] for r in expected]
    assert [d["value"] for d in movers["series"][0]["data"]] == [r["change"] for r in expected]
    expect(page.locator("[data-testid=movers] tbody tr")).to_have_count(len(expected))
    shot(page, "rules-preview")

    page.goto(f"/admin/rules/drafts/{draft}#publish")
    page.check("input[name=when][value=at]")
    page.fill("#f-publish_at", "2020-01-01T08:00")
    with page.expect_response(f"**/drafts/{draft}/publish") as answer:
        page.click("#publish button.primary")
    assert answer.value.status == 422
    expect(page.locator("#e-publish_at")).to_have_text("生效时间不能早于现在。")
    page.check("input[name=when][value=at]")
    page.fill("#f-publish_at", LATER)
    page.click("#publish button.primary")
    page.wait_for_url("**/admin/rules?done=scheduled")
    newest = page.locator("[data-testid=versions] tbody tr").first
    expect(newest).to_contain_text("rules-quiz-cap")
    expect(newest).to_contain_text("已安排")
    expect(newest).to_contain_text("2030")
    expect(newest.locator("td").nth(3)).to_have_text("a01")

    version = platform.call("GET", "/api/v1/rulesets", key=org.admin_token).body["items"][0]
    assert version["name"] == "rules-quiz-cap" and version["published_by"] == "member:a01"
    page.goto(f"/admin/rules/compare?from=1&to={version['version']}")
    changed = page.locator("tr[data-path='event_types.quiz.score_bands.0.points']")
    expect(changed.locator(".diff-before")).to_have_text("10")
    expect(changed.locator(".diff-after")).to_have_text("12")
    added = page.locator("section[data-part=caps] tr[data-path='caps.0']")
    expect(added.locator(".diff-after")).to_contain_text('"points": 8')
    expect(added).to_contain_text("新增")
    shot(page, "rules-compare")


def test_a_re_score_shows_its_effect_before_it_is_confirmed(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.admin, then="/admin/rules/rescore")
    page.select_option("#f-version", "1")
    page.click("button[value=preview]")
    expect(page.locator("[data-testid=totals]")).to_be_visible()
    chart(page, "distribution-chart")
    drafts = platform.call("GET", "/api/v1/drafts", key=org.admin_token).body["items"]
    assert not [d for d in drafts if "v1" in d["name"]]  # the preview's draft is gone
    shot(page, "rules-rescore-preview")
    page.click("button[value=confirm]")
    page.wait_for_url("**/admin/rules/rescore?done=rescored*")
    expect(page.locator("[data-testid=rescored]")).to_contain_text("重新计分")
    shot(page, "rules-rescore")


def test_rows_are_added_and_raw_json_is_checked_on_a_phone(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.admin, then="/admin/rules")
    shot(page, "rules-list-phone")
    draft = new_draft(page, "rules-phone")
    shot(page, "rules-form-phone")
    rows = page.locator("#part-levels .rules-row")
    before = rows.count()  # the version's levels (another test may have added some) and a blank
    page.click("#part-levels button[value=add-levels]")
    expect(rows).to_have_count(before + 1)
    first, second = before - 1, before  # the two blank rows
    page.fill(f"#f-levels-{first}-min_points", "100000")
    page.fill(f"#f-levels-{first}-title_zh", "学习新人")
    page.fill(f"#f-levels-{first}-title_en", "Newcomer")
    page.fill(f"#f-levels-{second}-min_points", "ten")
    with page.expect_response(f"**/admin/rules/drafts/{draft}") as answer:
        page.click(".rules-save button >> nth=0")
    assert answer.value.status == 422  # refused by the page itself: nothing sent
    expect(page.locator(f"#e-levels-{second}-min_points")).to_have_text("请输入整数。")
    expect(page.locator(f"#f-levels-{first}-title_zh")).to_have_value("学习新人")

    page.click(".rules-raw summary")
    page.fill("#f-raw", "[1, 2]")
    with page.expect_response(f"**/admin/rules/drafts/{draft}") as answer:
        page.click(".rules-raw button")
    assert answer.value.status == 422
    expect(page.locator("#e-raw")).to_be_visible()
    page.fill("#f-raw", '{"event_types": {}, "surprise": 1}')
    page.click(".rules-raw button")
    top = page.locator("[data-testid=top-errors]")  # paths the form has no field for
    expect(top).to_contain_text("surprise")
    expect(top).to_contain_text("attendance")

    versions = platform.call("GET", "/api/v1/rulesets", key=org.admin_token).body["items"]
    with page.expect_response(f"**/drafts/{draft}/publish") as answer:
        page.click("#publish button.primary")  # now: refused, the draft is not valid
    assert answer.value.status == 422
    expect(page.locator("[data-testid=top-errors]")).to_contain_text("surprise")
    after = platform.call("GET", "/api/v1/rulesets", key=org.admin_token).body["items"]
    assert after == versions


@pytest.mark.parametrize("who", ["staff", "reviewer"])
def test_staff_and_reviewers_get_the_403_page(open_page: Opener, org: Agency, who: str) -> None:
    page = open_page()
    sign_in(page, getattr(org, who))
    for path in ("/admin/rules", "/admin/rules/rescore", "/admin/rules/compare?from=1&to=1"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
        expect(page.locator("h1")).to_have_text("你无权查看或执行此操作。")


def test_a_form_without_its_csrf_token_is_refused(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.admin)
    before = platform.call("GET", "/api/v1/drafts", key=org.admin_token).body["items"]
    answer = page.request.post("/admin/rules/drafts", form={"name": "rules-forged", "base": "1"})
    assert answer.status == 403
    after = platform.call("GET", "/api/v1/drafts", key=org.admin_token).body["items"]
    assert after == before


def test_the_preview_in_english(open_page: Opener, org: Agency) -> None:
    page = open_page(locale="en", viewport=DESK)
    sign_in(page, org.admin, then="/admin/rules")
    expect(page.locator("h1")).to_have_text("Rule sets")  # the browser's language
    draft = new_draft(page, "rules-english")
    page.goto(f"/admin/rules/drafts/{draft}/preview")
    page.click("form.filters button.primary")
    expect(page.locator("h1")).to_have_text("What-if preview")
    chart(page, "distribution-chart")
    expect(page.locator("[data-testid=totals]")).to_contain_text("points as priced")
    shot(page, "rules-preview-en")


def member_name(platform: Platform, org: Agency, staff_no: str) -> str:
    found = platform.call("GET", f"/api/v1/members/{staff_no}", key=org.admin_token)
    assert found.status == 200, found.body
    name: str = found.body["name"]
    return name
