"""Movement arrows on every row of the board page: a custom group of this module's members
with points yesterday and today, so that its day board has members who rose, fell, stayed,
tied and are new. Each row's arrow and its label are the leaderboard API's ``rank_change``,
in Chinese and in English, on a phone and an office screen. The members are put in an
excluded group once the module is done, so that no other test's board counts them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from tests.browser.agency import Agency
from tests.browser.board_rows import api_board, expected_rows, mark_of, shown_moves, shown_rows
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform, wait_until

pytestmark = pytest.mark.browser

GROUP = "board-moves"
# staff number -> (name, sessions attended yesterday, today)
MOVERS = {
    "board-m1": ("冯涛", 3, 2),  # led yesterday, tied second today: down
    "board-m2": ("陈晨", 2, 2),  # tied second both days: the same
    "board-m3": ("褚红", 2, 1),  # down
    "board-m4": ("卫东", 1, 3),  # last yesterday, first today: up
    "board-m5": ("蒋琳", 0, 1),  # new today
}
BOARD = f"/board?scope=group:{GROUP}&period=day"


def _attended(member: str, at: datetime, times: int, day: str) -> list[dict[str, Any]]:
    return [
        {"id": uuid.uuid4().hex, "type": "attendance", "member": member,
         "occurred_at": at.isoformat(),
         "data": {"status": "on_time", "session": f"{GROUP}-{day}-{n}"}}
        for n in range(times)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def movers(platform: Platform, org: Agency) -> Iterator[str]:
    admin = org.admin_token
    for staff_no, (name, _, _) in MOVERS.items():
        made = {"staff_no": staff_no, "name": name, "unit": "a3-t1"}
        assert platform.call("POST", "/api/v1/members", made, key=admin).status == 201
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today, yesterday = midnight + (now - midnight) / 2, midnight - timedelta(hours=12)
    events = [
        event
        for member, (_, before, then) in MOVERS.items()
        for event in _attended(member, yesterday.astimezone(UTC), before, "before")
        + _attended(member, today.astimezone(UTC), then, "today")
    ]
    status, body = platform.post_events(events)
    assert status == 201, body
    group = {"code": GROUP, "name": "进步观察组", "members": list(MOVERS)}
    assert platform.call("POST", "/api/v1/leaderboard/groups", group, key=admin).status == 201
    scope = f"group:{GROUP}"
    wait_until(
        lambda: api_board(platform, org, scope=scope, period="day")["total"] == len(MOVERS),
        timeout=60,
    )
    yield scope
    left_out = {"excluded": True}
    path = f"/api/v1/leaderboard/groups/{GROUP}"
    assert platform.call("PATCH", path, left_out, key=admin).status == 200


def board_of(platform: Platform, org: Agency, scope: str) -> dict[str, Any]:
    return api_board(platform, org, scope=scope, period="day", movement="true")


def labels(page: Page) -> list[str]:
    moves = page.locator("table.board > tbody:not(.pinned) [data-testid=move]")
    return [m.get_attribute("aria-label") or "" for m in moves.all()]


def said(change: int | None) -> str:
    if change is None:
        return "本期新上榜"
    if change > 0:
        return f"较上期上升 {change} 名"
    return f"较上期下降 {-change} 名" if change < 0 else "与上期名次持平"


def said_in_english(change: int | None) -> str:
    if change is None:
        return "New on this board since the period before"
    if change == 0:
        return "Same place as in the period before"
    way = "Up" if change > 0 else "Down"
    return f"{way} {abs(change)} places since the period before"


def test_every_row_has_the_api_s_arrow_and_label(
    open_page: Opener, org: Agency, platform: Platform, movers: str
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.staff)
    page.goto(BOARD)
    board = board_of(platform, org, movers)
    assert shown_rows(page) == expected_rows(board)
    changes = [i["rank_change"] for i in board["items"]]
    assert shown_moves(page) == [mark_of(c) for c in changes]
    assert {m[0] for m in shown_moves(page)} == {"▲", "▼", "–", "新"}  # every kind, shown
    assert labels(page) == [said(c) for c in changes]
    titles = page.locator("table.board [data-testid=move]")
    assert [t.get_attribute("title") for t in titles.all()] == labels(page)
    shot(page, "board-desk")


def test_on_a_phone_the_arrows_stay_beside_the_rank(
    open_page: Opener, org: Agency, platform: Platform, movers: str
) -> None:
    page = open_page()
    sign_in(page, org.staff)
    page.goto(BOARD)
    board = board_of(platform, org, movers)
    assert shown_moves(page) == [mark_of(i["rank_change"]) for i in board["items"]]
    for cell in page.locator("table.board > tbody > tr > td.rank").all():
        box, arrow = cell.bounding_box(), cell.locator(".move").bounding_box()
        assert box and arrow and arrow["y"] < box["y"] + box["height"] / 2  # on one line
    shot(page, "board-phone")


def test_in_english_the_labels_are_english(
    open_page: Opener, org: Agency, platform: Platform, movers: str
) -> None:
    page = open_page(locale="en")
    sign_in(page, org.staff)
    page.goto(BOARD)
    board = board_of(platform, org, movers)
    marks = [mark_of(i["rank_change"]).replace("新", "new") for i in board["items"]]
    assert shown_moves(page) == marks
    assert labels(page) == [said_in_english(i["rank_change"]) for i in board["items"]]
