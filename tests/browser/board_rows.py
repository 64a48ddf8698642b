"""The board page's rows as a person sees them, and the leaderboard API's answer to compare
them with: shared by the board's browser tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.agency import Agency
from tests.harness import Platform


def api_board(platform: Platform, org: Agency, **query: Any) -> dict[str, Any]:
    """The board as the API gives it (an admin's key: names shown)."""
    asked = "&".join(f"{k}={v}" for k, v in {"limit": 20, **query}.items())
    answer = platform.call("GET", f"/api/v1/leaderboard?{asked}", key=org.admin_token)
    assert answer.status == 200, answer.body
    body: dict[str, Any] = answer.body
    return body


def shown_rows(page: Page) -> list[tuple[str, str, str]]:
    """(rank, name, points) of every row of the board's first part, as the page shows them."""
    rows = page.locator("table.board > tbody:not(.pinned) > tr")
    return [
        (
            row.locator("td").nth(0).inner_text().split()[0],
            row.locator("td .who").inner_text(),
            row.locator("td").nth(3).inner_text().replace(",", ""),
        )
        for row in rows.all()
    ]


def expected_rows(board: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(str(i["rank"]), i["name"], str(i["points"])) for i in board["items"]]


def mark_of(change: int | None) -> str:
    """The arrow a row's ``rank_change`` is shown as."""
    if change is None:
        return "新"
    return f"▲{change}" if change > 0 else f"▼{-change}" if change < 0 else "–"


def shown_moves(page: Page, rows: str = "table.board > tbody:not(.pinned) > tr") -> list[str]:
    """Each row's arrow ("" for a row without one)."""
    marks = []
    for row in page.locator(rows).all():
        arrow = row.locator("[data-testid=move]")
        marks.append(arrow.inner_text() if arrow.count() else "")
    return marks
