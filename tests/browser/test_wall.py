"""The lobby wall at 1920x1080: the display key entered once and kept in an HttpOnly cookie
(never in a URL), this week's top members with the API's points, no scrolling, the minute's
refresh and what a failed one does, names gone under ``ranks_only``; and the keys the wall
refuses: one that can write, one revoked, none at all, a form from another site."""

from __future__ import annotations

import time
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

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
# What "every 60s" does, at once (the promise fails with the refresh: the page says so itself).
REFRESH_NOW = "htmx.ajax('GET', '/wall/content', {target: '#wall-content'}).catch(() => null)"
CLIPPED = """[...document.querySelectorAll('.panel')]
  .filter(p => p.scrollHeight > p.clientHeight).length"""
# Every list copied up to the most rows the wall shows (10 members, 6 units), as a long week would.
FILL_UP = """() => document.querySelectorAll('.rows').forEach((list, i) => {
  while (list.children.length < (i === 0 ? 10 : 6))
    list.append(list.lastElementChild.cloneNode(true));
})"""
WEEK_BOARD = "/api/v1/leaderboard?scope=org&period=week&category=total&limit=10"


@pytest.fixture(scope="module")
def display_key(platform: Platform, org: Agency) -> str:
    return platform.create_key("wall-display", "read")


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
    open_page: Opener, platform: Platform, display_key: str
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
    shot(page, "wall-1080p")
    page.evaluate(FILL_UP)  # as many rows as the wall ever shows: still nothing cut off
    assert page.evaluate(CLIPPED) == 0
    assert page.evaluate("document.scrollingElement.scrollHeight") <= WALL["height"]


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
    open_page: Opener, platform: Platform, display_key: str, ranks_only: None
) -> None:
    page = open_page(viewport=WALL)
    enter(page, display_key)
    expect(page.locator(".members .row").first).to_be_visible()
    text = page.locator("body").inner_text()
    named = [name for name, _unit in agency.MEMBERS.values() if name in text]
    assert named == []
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
