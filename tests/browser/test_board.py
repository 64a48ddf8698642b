"""The staff leaderboard on the pages, in Chinese, with the sample agency: its ranks and
points are the leaderboard API's, the filters change it (with htmx and without), the
reader's row is marked and pinned beneath a page it is not on, every row's movement arrow is
the API's, `ranks_only` privacy names nobody else, and a filter value that is not on offer is
a 400 with a message, not a 500."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.agency import MEMBERS, UNITS, Agency
from tests.browser.board_rows import api_board, expected_rows, mark_of, shown_moves, shown_rows
from tests.browser.conftest import DESK, Opener, shot, sign_in
from tests.harness import Platform, wait_until
from tests.harness.people import account

pytestmark = pytest.mark.browser

UNIT_NAMES = {code: name for code, name, _ in UNITS}


def test_every_row_of_the_week_has_the_api_s_movement(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/board")
    board = api_board(platform, org, period="week", movement="true")
    assert shown_rows(page) == expected_rows(board)
    assert shown_moves(page) == [mark_of(i["rank_change"]) for i in board["items"]]
    label = page.locator("tr.mine [data-testid=move]").get_attribute("aria-label")
    expect(page.locator("[data-testid=movement]")).to_contain_text(label or "?")


def test_boards_without_a_period_before_have_no_arrows_but_mine_on_a_rolling_one(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/board?period=all")
    expect(page.locator("table.board")).to_be_visible()
    expect(page.locator("table.board [data-testid=move]")).to_have_count(0)
    page.goto("/board?period=last7")
    expect(page.locator("table.board [data-testid=move]")).to_have_count(1)
    own = platform.call(
        "GET", f"/api/v1/members/{org.staff}/movement?period=last7", key=org.admin_token
    ).body
    assert page.locator("tr.mine [data-testid=move]").inner_text() == mark_of(own["rank_change"])


def test_the_board_in_chinese_is_the_api_s_with_my_row_marked(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/board")
    expect(page.locator("h1")).to_have_text("排行榜")
    expect(page.locator("#board-title")).to_contain_text("全单位")
    assert shown_rows(page) == expected_rows(api_board(platform, org, period="week"))
    mine = page.locator("tr.mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("张伟")
    expect(mine.locator(".unit-sub")).to_have_text(UNIT_NAMES["a1-t1"])  # a name, not a code
    expect(page.locator("table.board th.unit")).to_be_hidden()  # a phone: unit under the name
    expect(page.locator("[data-testid=catch-up]")).to_contain_text("分")
    expect(page.locator("table.teams")).to_contain_text(UNIT_NAMES["a1"])
    assert "a1-t1" not in page.locator("main").inner_text()


def test_on_an_office_screen_the_team_standings_stand_beside_the_board(
    open_page: Opener, org: Agency
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.staff, then="/board")
    expect(page.locator("table.board th.unit")).to_be_visible()
    expect(page.locator("tr.mine td.unit")).to_have_text(UNIT_NAMES["a1-t1"])
    board, teams = page.locator(".board-main").bounding_box(), page.locator(".board-side")
    side = teams.bounding_box()
    assert board and side and side["x"] > board["x"] + board["width"] - 1
    assert abs(side["y"] - board["y"]) < 5


def test_the_filters_change_the_board_with_htmx_and_without(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    page = open_page(viewport=DESK)
    sign_in(page, org.staff, then="/board")
    with page.expect_response("**/board/part?**") as answer:
        page.select_option("#f-scope", "unit:a1-t1")
    assert answer.value.status == 200
    expect(page.locator("#board-title")).to_contain_text(UNIT_NAMES["a1-t1"])
    assert page.url.endswith("/board?scope=unit:a1-t1")
    team = api_board(platform, org, scope="unit:a1-t1", period="week")
    assert shown_rows(page) == expected_rows(team)
    with page.expect_response("**/board/part?**"):
        page.select_option("#f-category", "quiz")
    quiz = api_board(platform, org, scope="unit:a1-t1", period="week", category="quiz")
    assert shown_rows(page) == expected_rows(quiz)
    plain = open_page(viewport=DESK)  # the same address, no script: the whole page
    plain.context.add_cookies(page.context.cookies())
    plain.goto(page.url)
    assert shown_rows(plain) == expected_rows(quiz)
    expect(plain.locator("#f-scope")).to_have_value("unit:a1-t1")


def test_my_row_is_pinned_beneath_a_page_it_is_not_on(
    open_page: Opener, org: Agency, platform: Platform
) -> None:
    board = api_board(platform, org, period="week", limit=100)
    mine = next(i for i in board["items"] if i["member"] == org.staff)
    other_page = 2 if mine["rank"] == 1 else 1
    page = open_page()
    sign_in(page, org.staff)
    page.goto(f"/board?period=week&size=1&page={other_page}")
    expect(page.locator("table.board > tbody:not(.pinned) > tr")).to_have_count(1)
    pinned = page.locator("[data-testid=pinned] tr.mine")
    expect(pinned).to_contain_text("张伟")
    expect(pinned.locator("td").first).to_contain_text(str(mine["rank"]))
    expect(pinned.locator("td").nth(3)).to_have_text(str(mine["points"]))
    expect(page.locator(".pager")).to_contain_text(f"第 {other_page} 页")
    own = platform.call(
        "GET", f"/api/v1/members/{org.staff}/movement?period=week", key=org.admin_token
    ).body
    assert shown_moves(page, "[data-testid=pinned] tr.mine") == [mark_of(own["rank_change"])]
    shown = api_board(platform, org, period="week", movement="true", limit=1, offset=other_page - 1)
    assert shown_moves(page) == [mark_of(i["rank_change"]) for i in shown["items"]]


@pytest.fixture
def ranks_only(platform: Platform, org: Agency) -> Iterator[None]:
    path = "/api/v1/leaderboard/settings"
    before = platform.call("GET", path, key=org.admin_token).body["privacy"]
    assert platform.call("PUT", path, {"privacy": "ranks_only"}, key=org.admin_token).status == 200
    yield
    assert platform.call("PUT", path, {"privacy": before}, key=org.admin_token).status == 200


def test_under_ranks_only_no_other_member_is_named(
    open_page: Opener, org: Agency, ranks_only: None
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/board?period=week")
    expect(page.locator("tr.mine")).to_contain_text("张伟")
    expect(page.locator(".hidden-name").first).to_have_text("同事")
    text = page.locator("main").inner_text()
    others = [name for no, (name, _) in MEMBERS.items() if no != org.staff]
    assert [name for name in others if name in text] == []
    for staff_no in MEMBERS:
        assert staff_no == org.staff or staff_no not in text
    rows = page.locator("table.board > tbody:not(.pinned) > tr")
    assert "" not in shown_moves(page) and len(shown_moves(page)) == rows.count()
    shot(page, "board-ranks-only")


@pytest.mark.parametrize(
    "query, field",
    [
        ("scope=unit:nowhere", "scope"),
        ("scope=unit:a2", "scope"),  # a real unit, but not one of the reader's
        ("period=fortnight", "period"),
        ("category=bribes", "category"),
        ("size=0", "size"),
        ("page=x", "page"),
    ],
)
def test_a_filter_not_on_offer_is_said_and_refused(
    open_page: Opener, org: Agency, query: str, field: str
) -> None:
    page = open_page()
    sign_in(page, org.staff)
    answer = page.goto(f"/board?{query}")
    assert answer is not None and answer.status == 400
    expect(page.locator(f"#e-{field}")).to_contain_text("")
    assert page.locator(f"#e-{field}").inner_text()
    expect(page.locator("table.board")).to_have_count(0)
    part = page.request.get(f"/board/part?{query}")
    assert part.status == 400


def test_a_closed_period_not_archived_yet_says_so(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    answer = page.goto("/board?period=past-quarter")  # this quarter's first: none closed here
    assert answer is not None and answer.status == 200
    expect(page.locator("#board .notice")).to_have_text("该时段尚未归档。")
    expect(page.locator("#f-period")).to_have_value("past-quarter")


@pytest.fixture(scope="module")
def last_week(platform: Platform, org: Agency) -> dict[str, Any]:
    """Two members of this module with points last week only, that week archived, then both
    put in an excluded group, so that no live board or team standing of anyone else's test
    counts them. Their archive stays as it was written."""
    admin = org.admin_token
    for staff_no, name in (("board-p1", "孙悦"), ("board-p2", "周航")):
        made = {"staff_no": staff_no, "name": name, "unit": "a3-t1"}
        assert platform.call("POST", "/api/v1/members", made, key=admin).status == 201
    account(platform, admin, "board-p1")
    then = datetime.now(UTC) - timedelta(days=7)
    events = [
        {"id": uuid.uuid4().hex, "type": "attendance", "member": member,
         "occurred_at": (then - timedelta(hours=n)).isoformat(),
         "data": {"status": "on_time", "session": f"board-{n}"}}
        for member, times in (("board-p1", 1), ("board-p2", 2))
        for n in range(times)
    ]  # fmt: skip
    status, body = platform.post_events(events)
    assert status == 201, body
    wait_until(lambda: {"board-p1", "board-p2"} <= set(platform.board_totals()), timeout=60)
    flask = str(Path(sys.executable).parent / "flask")
    close = [flask, "--app", "services.leaderboard.app", "leaderboard", "close"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    if today.weekday() == 0:  # a week closes a day after its Sunday: on a Monday, say Tuesday
        close += ["--today", (today + timedelta(days=1)).isoformat()]
    subprocess.run(close, env=dict(platform.env), check=True, capture_output=True)
    # The week of the events' local day: on a Sunday evening in UTC it is Monday in Shanghai.
    local_then = then.astimezone(ZoneInfo("Asia/Shanghai")).date()
    archived = platform.call("GET", "/api/v1/leaderboard/archive?period=week&at="
                             + local_then.isoformat(), key=admin)  # fmt: skip
    assert archived.status == 200, archived.body
    group = {"code": "board-left-out", "name": "排行榜测试", "excluded": True,
             "members": ["board-p1", "board-p2"]}  # fmt: skip
    assert platform.call("POST", "/api/v1/leaderboard/groups", group, key=admin).status == 201
    body = archived.body
    assert isinstance(body, dict)
    return body


def test_last_week_from_the_archive_with_my_final_row_pinned(
    open_page: Opener, last_week: dict[str, Any]
) -> None:
    mine = next(i for i in last_week["items"] if i["member"] == "board-p1")
    first = last_week["items"][0]
    assert first["member"] == "board-p2"
    page = open_page()
    sign_in(page, "board-p1")
    page.goto("/board?period=past-week&size=1")
    expect(page.locator(".hint").first).to_contain_text(last_week["period_key"][1:])
    assert shown_rows(page) == [(str(first["rank"]), first["name"], str(first["points"]))]
    pinned = page.locator("[data-testid=pinned] tr.mine")
    expect(pinned).to_contain_text("孙悦")
    expect(pinned.locator("td").first).to_have_text(str(mine["rank"]))
    expect(pinned.locator("td").nth(3)).to_have_text(str(mine["points"]))
    shot(page, "board-archive")


def test_a_stranger_is_sent_to_sign_in(open_page: Opener, org: Agency) -> None:
    page = open_page()
    page.goto("/board?period=month")
    assert "/signin?next=/board" in page.url


def test_the_home_page_names_the_units_of_my_ranks(open_page: Opener, org: Agency) -> None:
    page = open_page()
    sign_in(page, org.staff)
    ranks = page.locator("table.ranks").inner_text()
    assert UNIT_NAMES["a1"] in ranks and UNIT_NAMES["a1-t1"] in ranks
    assert "a1-t1" not in ranks


@pytest.fixture(scope="module")
def pair(platform: Platform, org: Agency) -> str:
    """A custom group of this module's: two members of different teams."""
    group = {"code": "board-pair", "name": "学习互助对子", "members": [org.staff, "s03"]}
    made = platform.call("POST", "/api/v1/leaderboard/groups", group, key=org.admin_token)
    assert made.status == 201, made.body
    return "group:board-pair"


def test_a_custom_group_is_a_board_to_choose(
    open_page: Opener, org: Agency, platform: Platform, pair: str
) -> None:
    page = open_page()
    sign_in(page, org.staff, then="/board")
    expect(page.locator("#f-scope optgroup[label=自定义分组] option")).to_contain_text(
        ["学习互助对子"]
    )
    expect(page.locator("#f-scope option[value='group:board-left-out']")).to_have_count(0)
    with page.expect_response("**/board/part?**"):
        page.select_option("#f-scope", pair)
    expect(page.locator("#board-title")).to_contain_text("学习互助对子")
    wanted = expected_rows(api_board(platform, org, scope=pair, period="week"))
    assert len(wanted) == 2 and shown_rows(page) == wanted
