"""The lobby wall at 1920x1080: the display key entered once and kept in an HttpOnly cookie
(never in a URL), this week's top members with the API's points, the latest badges and the
exemplary reports as their APIs answer the display key, no scrolling, the minute's refresh and
what a failed one does, names gone under ``ranks_only``; and the keys the wall refuses: one
that can write, one revoked, none at all, a form from another site.

The module's own data (members ``w2-``): a badge earned by events when the rules in force
have one a quiz event earns (the browser session's rules may: tests/browser/test_progress.py
publishes a set with badges; nothing is published here), and two exemplary reports written,
scored and marked through the API as their author and reviewer r01, of which only one is
shared, and a draft."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from gateway.auth import KEY_CACHE_SECONDS
from tests.browser import agency
from tests.browser.agency import Agency
from tests.browser.conftest import DESK, Opener, shot
from tests.harness import Platform, wait_until
from tests.harness.people import PASSWORD, account

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
# What "every 60s" does, at once (the promise fails with the refresh: the page says so itself).
REFRESH_NOW = "htmx.ajax('GET', '/wall/content', {target: '#wall-content'}).catch(() => null)"
CLIPPED = """[...document.querySelectorAll('.panel')]
  .filter(p => p.scrollHeight > p.clientHeight).length"""
# Every list copied up to the most rows the wall shows (10 members, 6 units, 5 badges, 3 reports),
# as a long week would, with the longest titles a badge or a report may have.
FILL_UP = """() => {
  const most = {members: 10, badges: 5, exemplary: 3};
  document.querySelectorAll('.panel').forEach(panel => {
    const list = panel.querySelector('.rows');
    if (!list) return;
    const n = Object.entries(most).find(([name]) => panel.classList.contains(name));
    while (list.children.length < (n ? n[1] : 6))
      list.append(list.lastElementChild.cloneNode(true));
  });
  document.querySelectorAll('.badges .title, .exemplary .title').forEach(title =>
    title.textContent = '学习贯彻'.repeat(title.closest('.report') ? 50 : 8));
}"""
WEEK_BOARD = "/api/v1/leaderboard?scope=org&period=week&category=total&limit=10"
RECENT_BADGES = "/api/v1/badges/recent?limit=5"
EXEMPLARY = "/api/v1/reports/exemplary?limit=3"
AUTHOR = ("w2-s1", "吴晓明", "a1-t1")  # in a1, which r01 reviews
SHARED, UNSHARED, DRAFT = "窗口帮办一次办结", "未公开的优秀实践做法", "尚未提交的草稿报告"
RUBRIC = {
    "name": "w2-展示屏评分标准",
    "reviewers": 1,
    "criteria": [{"code": "effect", "title": "工作成效", "max": 5, "weight": 1}],
    "bands": [{"min_total": 0, "rating": "A"}],
}


@pytest.fixture(scope="module")
def display_key(platform: Platform, org: Agency) -> str:
    return platform.create_key("wall-display", "read")


def _ok(platform: Platform, method: str, path: str, body: Any, key: str) -> Any:
    reply = platform.call(method, path, body, key=key)
    assert reply.status in (200, 201), (path, reply.status, reply.body)
    return reply.body


@pytest.fixture(scope="module")
def recognised(platform: Platform, org: Agency) -> dict[str, int]:
    """The author w2-s1 with a badge (if the rules in force give one for a quiz), a shared
    exemplary report, an unshared one and a draft: the reports' ids by title."""
    staff_no, name, unit = AUTHOR
    _ok(platform, "POST", "/api/v1/members", {"staff_no": staff_no, "name": name, "unit": unit},
        org.admin_token)  # fmt: skip
    _earn_a_badge(platform, org, staff_no)
    author = account(platform, org.admin_token, staff_no)
    signed = _ok(platform, "POST", "/api/v1/auth/sign-in",
                 {"staff_no": org.reviewer, "password": PASSWORD}, "")  # fmt: skip
    reviewer = signed["access_token"]
    _ok(platform, "POST", "/api/v1/report-rubrics", RUBRIC, org.admin_token)
    ids = {title: _exemplary(platform, author, reviewer, title) for title in (SHARED, UNSHARED)}
    _ok(platform, "PUT", f"/api/v1/reports/{ids[SHARED]}/sharing", {"shared": True}, author)
    ids[DRAFT] = _ok(platform, "POST", "/api/v1/reports", _report(DRAFT), author)["id"]
    wait_until(lambda: _projected(platform, staff_no), 60, 0.3)  # before the boards are read
    return ids


def _projected(platform: Platform, staff_no: str) -> bool:
    """Whether the member's points (the quiz's, the approved reports') are on the boards."""
    return platform.board_totals().get(staff_no) == platform.ledger_totals().get(staff_no)


def _report(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "learned": {"kind": "topic", "text": "优化营商环境"},
        "applied": "窗口实行帮办代办，材料一次收齐。",
        "result": "群众办事一次办结。",
    }


def _exemplary(platform: Platform, author: str, reviewer: str, title: str) -> int:
    """A report written and submitted by its author, approved and marked by the reviewer."""
    report = _ok(platform, "POST", "/api/v1/reports", _report(title), author)["id"]
    _ok(platform, "POST", f"/api/v1/reports/{report}/submit", None, author)
    scored = _ok(platform, "POST", f"/api/v1/reports/{report}/scores",
                 {"scores": {"effect": 5}}, reviewer)  # fmt: skip
    assert scored["state"] == "approved", scored
    _ok(platform, "POST", f"/api/v1/reports/{report}/exemplary", None, reviewer)
    return int(report)


def _badge_quizzes(platform: Platform, org: Agency) -> list[str]:
    """The quizzes of which one attempt earns a badge under the rules in force (maybe none)."""
    rules = _ok(platform, "GET", "/api/v1/rulesets/active", None, org.admin_token)
    return [
        quiz
        for badge in rules["document"].get("badges", [])
        for condition in badge.get("all_of", [])
        if condition.get("count") == "quiz" and condition.get("at_least") == 1
        for quiz in condition.get("where", {}).get("quiz", [])[:1]
    ]


def _earn_a_badge(platform: Platform, org: Agency, staff_no: str) -> None:
    """A quiz event for each badge in force that one quiz's attempt earns."""
    now = datetime.now(UTC).isoformat()
    events = [
        {"id": uuid.uuid4().hex, "type": "quiz", "member": staff_no, "occurred_at": now,
         "data": {"quiz": quiz, "score": 90, "max_score": 100}}
        for quiz in _badge_quizzes(platform, org)
    ]  # fmt: skip
    if events:
        status, body = platform.post_events(events)
        assert status == 201, body  # each one recorded: a 207 would name those refused


def badge_rows(page: Page) -> list[tuple[str, str]]:
    rows = page.locator(".badges .row")
    return [
        (rows.nth(i).locator(".name").inner_text(), rows.nth(i).locator(".title").inner_text())
        for i in range(rows.count())
    ]


def shown_badges(platform: Platform, key: str, language: str = "zh") -> list[tuple[str, str]]:
    """What the wall must show of the latest badges the API gives the display key."""
    reply = platform.call("GET", RECENT_BADGES, key=key)
    assert reply.status == 200, reply.body
    return [(badge["name"], badge["title"][language]) for badge in reply.body["items"]]


def shown_reports(platform: Platform, key: str) -> list[tuple[str, str]]:
    """The exemplary reports' titles and their authors' names, as the APIs answer the key."""
    reply = platform.call("GET", EXEMPLARY, key=key)
    assert reply.status == 200, reply.body
    names = {
        report["author"]: platform.call("GET", f"/api/v1/members/{report['author']}", key=key)
        .body["name"] for report in reply.body["items"]
    }  # fmt: skip
    return [(report["title"], names[report["author"]]) for report in reply.body["items"]]


def enter(page: Page, key: str) -> Response:
    """The key typed into a new display's form; the answer to the form's POST."""
    page.goto("/wall")
    page.fill("#f-key", key)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("form.key-form button.primary")
    page.wait_for_load_state()
    return answer.value


def wall_rows(page: Page) -> list[tuple[str, int]]:
    rows = page.locator(".members .row")
    return [
        (
            rows.nth(i).locator(".name").inner_text(),
            int(rows.nth(i).locator(".points").inner_text().split("分")[0].replace(",", "")),
        )
        for i in range(rows.count())
    ]


def test_a_new_display_asks_for_its_key_in_chinese(open_page: Opener, org: Agency) -> None:
    page = open_page(viewport=WALL)
    answer = page.goto("/wall")
    assert answer is not None and answer.status == 200
    expect(page.locator("h1")).to_have_text("大厅展示屏")
    expect(page.locator("label[for=f-key]")).to_have_text("展示密钥")
    expect(page.locator("nav")).to_have_count(0)  # its own frame: nobody to navigate for
    shot(page, "wall-key-form")


def test_the_wall_shows_this_weeks_top_members_as_the_api_does(
    open_page: Opener, platform: Platform, display_key: str, recognised: dict[str, int]
) -> None:
    page = open_page(viewport=WALL)
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    answer = enter(page, display_key)
    assert answer.status == 303
    assert page.url == f"{platform.base_url}/wall"
    expect(page.locator(".members .row").first).to_be_visible()
    board = platform.call("GET", WEEK_BOARD, key=display_key)
    assert board.status == 200
    assert wall_rows(page) == [(row["name"], row["points"]) for row in board.body["items"]]
    assert len(board.body["items"]) >= len(agency.QUIZZES)  # other tests may add members
    expect(page.locator(".units .panel").first.locator(".row").first).to_contain_text("片区")
    expect(page.locator(".updated")).to_contain_text("更新于")
    assert page.evaluate("document.scrollingElement.scrollHeight") <= WALL["height"]
    assert page.evaluate(CLIPPED) == 0  # no panel cuts a row off either
    assert not any(display_key in url for url in seen)  # in no URL, the form's POST included
    assert display_key not in page.content()
    kept = next(c for c in page.context.cookies() if c["name"] == "li_display")
    assert kept["value"] == display_key and kept["httpOnly"] and kept["sameSite"] == "Strict"
    assert kept["path"] == "/wall" and kept["expires"] > time.time() + 300 * 24 * 3600
    assert badge_rows(page) == shown_badges(platform, display_key)
    assert page.locator(".exemplary .report .title").all_inner_texts() == [
        title for title, _author in shown_reports(platform, display_key)
    ]
    shot(page, "wall-1080p")
    page.evaluate(FILL_UP)  # as many rows as the wall ever shows: still nothing cut off
    assert page.evaluate(CLIPPED) == 0
    assert page.evaluate("document.scrollingElement.scrollHeight") <= WALL["height"]


def test_the_latest_badges_and_exemplary_reports_are_the_apis_in_the_readers_language(
    open_page: Opener, platform: Platform, org: Agency, display_key: str,
    recognised: dict[str, int],
) -> None:  # fmt: skip
    page = open_page(viewport=WALL)
    enter(page, display_key)
    badges = shown_badges(platform, display_key)
    assert badge_rows(page) == badges and len(badges) <= 5
    if _badge_quizzes(platform, org):  # a badge for one quiz's attempt: w2-s1 earned it
        assert AUTHOR[1] in [name for name, _title in badges]
    if not badges:  # the rules in force give no badge (this module run alone)
        expect(page.locator(".badges .empty")).to_have_text("暂无获得的徽章。")
    reports = page.locator(".exemplary .report")
    expected = shown_reports(platform, display_key)
    assert expected[0] == (SHARED, AUTHOR[1])  # the newest shared one first, by its author
    assert reports.locator(".title").all_inner_texts() == [title for title, _ in expected]
    for i, (_title, author) in enumerate(expected):
        expect(reports.nth(i).locator(".by")).to_contain_text(author)
    expect(reports.first.locator(".by")).to_have_text(f"{AUTHOR[1]} · 综合一组")
    text = page.locator("body").inner_text()
    assert UNSHARED not in text and DRAFT not in text  # never what its author keeps
    assert page.evaluate("document.scrollingElement.scrollHeight") <= WALL["height"]
    assert page.evaluate(CLIPPED) == 0
    shot(page, "wall-badges")
    english = open_page(locale="en", viewport=DESK)
    enter(english, display_key)
    expect(english.locator("#h-badges")).to_have_text("Latest badges")
    assert badge_rows(english) == shown_badges(platform, display_key, "en")


def test_the_new_reads_are_a_read_keys_and_list_only_shared_reports(
    platform: Platform, org: Agency, display_key: str, recognised: dict[str, int]
) -> None:
    events = platform.create_key("wall-events-only", "events")
    for path in (RECENT_BADGES, EXEMPLARY):
        refused = platform.call("GET", path, key=events)
        assert refused.status == 403 and "read" in refused.body["message"], refused.body
        assert platform.call("GET", path, key="").status == 401
    listed = platform.call("GET", "/api/v1/reports/exemplary?limit=100", key=display_key).body
    ids = [report["id"] for report in listed["items"]]
    assert recognised[SHARED] in ids
    assert recognised[UNSHARED] not in ids and recognised[DRAFT] not in ids
    assert all(r["exemplary"] and r["shared"] and r["scores"] == [] for r in listed["items"])
    for report in recognised.values():  # a key reads no report itself, the shared one neither
        assert platform.call("GET", f"/api/v1/reports/{report}", key=display_key).status == 403
    assert platform.call("GET", "/api/v1/reports/queue", key=display_key).status == 403
    refused = platform.call("GET", "/api/v1/badges/recent?limit=51", key=display_key)
    assert refused.status == 422 and "limit" in refused.body["errors"]["query"]


def test_the_refresh_route_answers_and_a_failed_refresh_keeps_the_boards(
    open_page: Opener, display_key: str
) -> None:
    page = open_page(viewport=WALL)
    enter(page, display_key)
    expect(page.locator("#wall-content")).to_have_attribute("hx-trigger", "every 60s")
    part = page.request.get("/wall/content")
    assert part.status == 200
    assert "members" in part.text() and "<html" not in part.text()
    before = wall_rows(page)
    page.route("**/wall/content", lambda route: route.abort())
    page.evaluate(REFRESH_NOW)
    expect(page.locator("#wall-offline")).to_be_visible()
    expect(page.locator("#wall-offline")).to_contain_text("离线")
    assert wall_rows(page) == before  # the last boards stay
    page.unroute("**/wall/content")
    page.evaluate(REFRESH_NOW)
    expect(page.locator("#wall-offline")).to_be_hidden()
    assert wall_rows(page) == before


@pytest.fixture
def ranks_only(platform: Platform, org: Agency) -> Iterator[None]:
    settings = "/api/v1/leaderboard/settings"
    was = platform.call("GET", settings, key=org.admin_token).body["privacy"]
    changed = platform.call("PUT", settings, {"privacy": "ranks_only"}, key=org.admin_token)
    assert changed.status == 200, changed.body
    yield
    platform.call("PUT", settings, {"privacy": was}, key=org.admin_token)


def test_under_ranks_only_the_wall_names_nobody(
    open_page: Opener, platform: Platform, display_key: str, recognised: dict[str, int],
    ranks_only: None,
) -> None:  # fmt: skip
    page = open_page(viewport=WALL)
    enter(page, display_key)
    expect(page.locator(".members .row").first).to_be_visible()
    text = page.locator("body").inner_text()
    everyone = [name for name, _unit in agency.MEMBERS.values()] + [AUTHOR[1]]
    badges = shown_badges(platform, display_key)
    everyone += [name for name, _title in badges]
    assert [name for name in everyone if name in text] == []
    assert badge_rows(page) == [("—", title) for _name, title in badges]  # titles stay
    expect(page.locator(".exemplary .report").first).to_contain_text(SHARED)
    expect(page.locator(".exemplary .report .by").first).to_have_text("综合一组")
    board = platform.call("GET", WEEK_BOARD, key=display_key).body["items"]
    assert [points for _name, points in wall_rows(page)] == [row["points"] for row in board]
    expect(page.locator(".updated")).to_contain_text("隐私设置")
    shot(page, "wall-ranks-only")


@pytest.mark.parametrize("scopes", [("admin",), ("read", "events"), ("events",)])
def test_a_key_that_could_write_is_refused(
    open_page: Opener, platform: Platform, org: Agency, scopes: tuple[str, ...]
) -> None:
    key = platform.create_key(f"wall-{'-'.join(scopes)}", *scopes)
    page = open_page(viewport=WALL)
    answer = enter(page, key)
    assert answer.status == 403
    expect(page.locator("#e-key")).to_contain_text("该密钥可修改数据")
    expect(page.locator("#e-key")).to_contain_text("只读（read）")
    assert not [c for c in page.context.cookies() if c["name"] == "li_display"]
    expect(page.locator(".members")).to_have_count(0)


def test_a_revoked_key_brings_the_form_back(
    open_page: Opener, platform: Platform, org: Agency
) -> None:
    key = platform.create_key("wall-revoked", "read")
    page = open_page(viewport=WALL)
    enter(page, key)
    expect(page.locator(".members .row").first).to_be_visible()
    gone = platform.call("DELETE", "/api/v1/auth/keys/wall-revoked", key=org.admin_token)
    assert gone.status == 204, gone.body
    revoked_at = time.monotonic()
    part = wait_until(lambda: _refused(page.request.get("/wall/content")), timeout=20)
    assert part.headers.get("hx-refresh") == "true"  # the page reloads itself to the form
    answer = page.goto("/wall")
    assert answer is not None and answer.status == 200  # the cookie went with the 401
    expect(page.locator("#f-key")).to_be_visible()
    # Every gateway worker forgets a revoked key within KEY_CACHE_SECONDS (gateway/auth.py).
    time.sleep(max(0.0, revoked_at + KEY_CACHE_SECONDS + 0.5 - time.monotonic()))
    again = enter(page, key)
    assert again.status == 401
    expect(page.locator("#e-key")).to_have_text("该展示密钥已被吊销，请输入新的密钥。")


def test_an_expired_key_brings_the_form_back_and_says_so(
    open_page: Opener, platform: Platform, org: Agency
) -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
    made = platform.call(
        "POST", "/api/v1/auth/keys", {"name": "wall-expiring", "scopes": ["read"],
                                      "expires_at": soon}, key=org.admin_token,
    )  # fmt: skip
    assert made.status == 201, made.body
    page = open_page(viewport=WALL)
    enter(page, made.body["key"])
    expect(page.locator(".members .row").first).to_be_visible()
    answer = wait_until(lambda: _refused(page.reload()), timeout=20)
    assert answer.status == 401
    expect(page.locator("#e-key")).to_have_text("该展示密钥已过期，请输入新的密钥。")
    shot(page, "wall-key-expired")


def _refused(part: Any) -> Any:
    return part if part is not None and part.status == 401 else None


def test_the_wall_fits_a_smaller_screen_too(open_page: Opener, display_key: str) -> None:
    page = open_page(viewport=DESK)
    enter(page, display_key)
    expect(page.locator(".members .row").first).to_be_visible()
    shot(page, "wall-desk")
    page.evaluate(FILL_UP)
    assert page.evaluate("document.scrollingElement.scrollHeight") <= DESK["height"]
    assert page.evaluate(CLIPPED) == 0


def test_bad_input_and_a_form_from_elsewhere(open_page: Opener, org: Agency) -> None:
    page = open_page(viewport=DESK)
    page.goto("/wall")
    with page.expect_response(lambda r: r.request.method == "POST") as empty:
        page.click("form.key-form button.primary")
    assert empty.value.status == 422
    expect(page.locator("#e-key")).to_have_text("请输入展示密钥。")
    answer = enter(page, "not-a-key")
    assert answer.status == 401
    expect(page.locator("#e-key")).to_contain_text("不是有效的展示密钥")
    shot(page, "wall-key-refused")
    forged = page.request.post("/wall", form={"key": "lk_00000000_" + "x" * 43})
    assert forged.status == 403  # no CSRF token of this browser's nonce
