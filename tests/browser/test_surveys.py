"""Pulse surveys in the browser: the admin makes a survey from the built-in questionnaire and
opens a round for a unit on the pages, closes it; a member answers the next round on a phone
(a question left out is said next to it, then thanks, and the round cannot be answered twice);
the admin's results page shows the shares, the units and the trend across both rounds. A
member opening the admin's survey pages gets the 403 page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform
from tests.harness.people import account

pytestmark = pytest.mark.browser

AREA, OTHER, UNIT = "sv-area", "sv-other", "sv-base"
MEMBERS = [f"sv-m0{n}" for n in range(1, 7)]
SURVEY = "sv-pulse"
AGREE = ("plan", "leaders", "atmosphere", "purpose", "linked", "substance", "useful")


def _local(moment: datetime) -> str:
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def tokens(platform: Platform, org: Agency) -> dict[str, str]:
    """A unit of six members, each with an account (their access tokens), in an area of its
    own beside another: the agency's areas keep their members (the wall ranks the areas by
    the share of their members who took part)."""
    for code, name, parent in ((AREA, "调研中心", None), (OTHER, "督查中心", None),
                               (UNIT, "调研科", AREA)):  # fmt: skip
        body = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        made = platform.call("POST", "/api/v1/units", body)
        assert made.status == 201, made.body
    for n, staff_no in enumerate(MEMBERS):
        body = {"staff_no": staff_no, "name": f"调研{n}", "unit": UNIT}
        assert platform.call("POST", "/api/v1/members", body).status == 201
    return {m: account(platform, org.admin_token, m) for m in MEMBERS}


def _answers(linked: int) -> dict[str, Any]:
    given: dict[str, Any] = {key: 4 for key in AGREE}
    return given | {"linked": linked, "factors": ["time"], "suggestions": "多组织案例研讨"}


def _answer(platform: Platform, token: str, number: int, linked: int) -> None:
    path = f"/api/v1/surveys/{SURVEY}/rounds/{number}/answers"
    sent = platform.call("POST", path, {"answers": _answers(linked)}, key=token)
    assert sent.status == 201, sent.body


def _admin_makes_and_opens(page: Page) -> None:
    page.goto("/admin/surveys")
    page.fill("#f-id", SURVEY)
    page.click("#survey-new button.primary")
    page.wait_for_url(f"**/admin/surveys/{SURVEY}?done=survey")
    now = datetime.now(UTC)
    page.fill("#f-closes_at", _local(now - timedelta(hours=1)))
    page.fill("#f-opens_at", _local(now - timedelta(minutes=10)))
    page.check(f"input[name=units][value={UNIT}]")
    page.click("#round-form button.primary")
    expect(page.locator("#e-closes_at")).to_be_visible()  # closes before it opens: said there
    page.fill("#f-closes_at", _local(now + timedelta(days=7)))
    page.select_option("#f-repeat", "")
    page.click("#round-form button.primary")
    page.wait_for_url(f"**/admin/surveys/{SURVEY}?done=round")
    expect(page.locator("[data-testid=rounds] tbody tr")).to_have_count(1)


def test_a_survey_is_made_answered_on_a_phone_and_its_trend_shown(
    open_page: Opener, platform: Platform, org: Agency, tokens: dict[str, str]
) -> None:
    admin = open_page(viewport=DESK)
    sign_in(admin, org.admin)
    _admin_makes_and_opens(admin)
    # Round 1: five answer; linked 4,4,4,2,2 -> favourable 60%.
    for staff_no, linked in zip(MEMBERS[1:], (4, 4, 4, 2, 2), strict=True):
        _answer(platform, tokens[staff_no], 1, linked)
    admin.click("#close-1")
    admin.wait_for_url(f"**/admin/surveys/{SURVEY}?done=closed")
    now = datetime.now(UTC)
    body = {"units": [UNIT], "opens_at": (now - timedelta(minutes=5)).isoformat(),
            "closes_at": (now + timedelta(days=7)).isoformat()}  # fmt: skip
    assert platform.call("POST", f"/api/v1/surveys/{SURVEY}/rounds", body).status == 201
    # Round 2: five by the API (linked 5,5,4,4,2), the sixth on the phone (linked 4) -> 5/6.
    for staff_no, linked in zip(MEMBERS[1:], (5, 5, 4, 4, 2), strict=True):
        _answer(platform, tokens[staff_no], 2, linked)

    phone = open_page()
    sign_in(phone, MEMBERS[0])
    phone.click("[data-testid=survey-waiting] a")  # the home page says a survey waits
    phone.wait_for_url("**/surveys")
    phone.click("a.button.primary")
    phone.wait_for_url(f"**/surveys/{SURVEY}/2")
    for key in AGREE:
        if key != "useful":
            phone.check(f"input[name={key}][value='4']", force=True)
    phone.check("input[name=factors][value=plan]", force=True)
    shot(phone, "surveys-answer-phone")
    phone.click("#send-answers")
    expect(phone.locator("#e-useful")).to_have_text("请回答此题。")
    shot(phone, "surveys-answer-phone-missing")
    phone.check("input[name=useful][value='5']", force=True)
    phone.click("#send-answers")
    phone.wait_for_url("**/surveys?done=thanks")
    expect(phone.locator("[data-testid=answered]")).to_be_visible()
    shot(phone, "surveys-thanks-phone")
    phone.goto(f"/surveys/{SURVEY}/2")
    expect(phone.locator("#survey-form")).to_have_count(0)  # answered: no form again
    phone.goto("/")
    expect(phone.locator("[data-testid=survey-waiting]")).to_have_count(0)

    admin.goto(f"/admin/surveys/{SURVEY}/rounds/2?unit={UNIT}")
    expect(admin.locator("[data-testid=answers]")).to_contain_text("共 6 份答卷")
    linked = admin.locator("section.card", has_text="学习与工作结合紧密")
    expect(linked).to_contain_text("认同率：83.3%")  # 5 of 6
    expect(admin.locator("[data-testid=per-unit]")).to_contain_text("调研科")
    admin.wait_for_function("document.querySelector('[data-testid=trend] canvas') !== null")
    shot(admin, "surveys-results-desk")
    small = open_page()
    sign_in(small, org.admin, then=f"/admin/surveys/{SURVEY}/rounds/2?unit={UNIT}")
    small.wait_for_function("document.querySelector('[data-testid=trend] canvas') !== null")
    shot(small, "surveys-results-phone")


def test_a_member_gets_the_403_page_on_the_admin_survey_pages(
    open_page: Opener, org: Agency
) -> None:
    page = open_page()
    sign_in(page, org.staff)
    for path in ("/admin/surveys", f"/admin/surveys/{SURVEY}/rounds/1"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403


def test_an_areas_admin_sees_their_area_and_another_areas_admin_is_refused(
    open_page: Opener, platform: Platform, org: Agency, tokens: dict[str, str]
) -> None:
    """After the test above: the admin of the area holding sv-base sees their area by default
    (here in English); the admin of another area gets the 403 page for sv-base."""
    for staff_no, area in (("sv-adm2", AREA), ("sv-adm3", OTHER)):
        body = {"staff_no": staff_no, "name": f"管理{area}", "unit": area}
        assert platform.call("POST", "/api/v1/members", body).status == 201
        account(platform, org.admin_token, staff_no, ("admin", area))
    mine = open_page(locale="en", viewport=DESK)
    sign_in(mine, "sv-adm2", then=f"/admin/surveys/{SURVEY}/rounds/2")
    expect(mine.locator("#f-unit")).to_have_value(AREA)
    expect(mine.locator("[data-testid=answers]")).to_contain_text("6 answers")
    # The page speaks English; the survey keeps the words it was made with (Chinese here).
    expect(mine.locator("section.card", has_text="学习与工作结合紧密")).to_contain_text(
        "favourable: 83.3%"
    )
    mine.wait_for_function("document.querySelector('[data-testid=trend] canvas') !== null")
    shot(mine, "surveys-results-area-admin-en-desk")
    other = open_page()
    sign_in(other, "sv-adm3")
    refused = other.goto(f"/admin/surveys/{SURVEY}/rounds/2?unit={UNIT}")
    assert refused is not None and refused.status == 403
    shot(other, "surveys-results-refused-phone")
