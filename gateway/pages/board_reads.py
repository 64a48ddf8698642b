"""The board a choice names, read as the person: a page of rows (live, or a closed period's
final standings from the archive), each with its member's unit, and the person's own row,
movement and catch-up line. Under ``ranks_only`` privacy the leaderboard has already blanked
other members' names and staff numbers; nothing here asks for them another way."""

from __future__ import annotations

from datetime import date
from typing import Any

from gateway import as_person
from gateway.auth import Caller
from gateway.pages import catch_up
from gateway.pages.board_choice import Choice
from services.common.errors import ApiError

# Periods whose board rows each carry their movement since the period before (the board
# read's ``movement=true``); a lifetime board has no period before.
ROWS_MOVE = frozenset({"day", "week", "month", "quarter", "year"})
# Rolling windows and campaigns have a period before too, but the leaderboard tells it for one
# member at a time: only the person's own row has an arrow there.
MOVES = ROWS_MOVE | {"last7", "last30", "range"}


def maybe(caller: Caller, path: str, query: dict[str, Any]) -> dict[str, Any] | None:
    """A part a page can do without: None when it is refused or its service cannot answer."""
    try:
        return as_person.read(caller, path, query)
    except (as_person.Refused, ApiError):
        return None


def rows(caller: Caller, choice: Choice, today: date) -> dict[str, Any]:
    """A page of the board: ``{"total", "items", "period_key", "missing"}``; ``missing`` when a
    closed period has no archive (yet). Other refusals are the page's to show."""
    query = {**choice.board(today), "limit": choice.size, "offset": choice.offset}
    if not choice.archived:
        moving = {"movement": "true"} if choice.kind in ROWS_MOVE else {}
        board = as_person.read(caller, "/api/v1/leaderboard", {**query, **moving})
        return {**board, "items": [{**i, "moved": moved(i)} for i in board["items"]]}
    try:
        return as_person.read(caller, "/api/v1/leaderboard/archive", query)
    except as_person.Refused as refused:
        if refused.status != 404:
            raise
    return {"total": 0, "items": [], "period_key": None, "missing": True}


def moved(item: dict[str, Any]) -> dict[str, Any] | None:
    """A row's movement in the shape of a member's own (``movement``: up, down, same or new;
    ``rank_change``), or None when the board does not tell it."""
    if "rank_change" not in item:
        return None
    change = item["rank_change"]
    word = "new" if change is None else "up" if change > 0 else "down" if change < 0 else "same"
    return {"movement": word, "rank_change": change}


def member_units(caller: Caller, members: list[str]) -> dict[str, str]:
    """Staff number -> unit code, one member at a time (a board page is short)."""
    found: dict[str, str] = {}
    for staff_no in dict.fromkeys(members):
        member = maybe(caller, f"/api/v1/members/{staff_no}", {})
        if member and member.get("unit"):
            found[staff_no] = member["unit"]
    return found


def mine(caller: Caller, choice: Choice, today: date, board: dict[str, Any]) -> dict[str, Any]:
    """The person's own row on this board (None when they are not on it), whether it is on
    the page shown, their movement and the catch-up line. Their movement is their row's on
    the page; read on its own only for a row pinned beneath it, or a board whose rows do not
    carry it (``MOVES``), and then put on their row too."""
    me = caller.staff_no or ""
    shown = next((i for i in board.get("items", []) if i.get("member") == me), None)
    if choice.archived:
        row = _archived_row(caller, choice, board.get("period_key"))
        return {"row": row, "shown": shown is not None, "movement": None, "line": ""}
    query = choice.board(today)
    base = f"/api/v1/members/{me}"
    standing = maybe(caller, f"{base}/standing", query)
    row = standing if standing and standing.get("rank") else None
    movement = shown.get("moved") if shown else None
    if row is not None and movement is None and choice.kind in MOVES:
        movement = maybe(caller, f"{base}/movement", query)
        row = {**row, "moved": movement}
        if shown is not None:
            shown["moved"] = movement
    line = catch_up.line(maybe(caller, f"{base}/catch-up", query))
    return {"row": row, "shown": shown is not None, "movement": movement, "line": line}


def _archived_row(caller: Caller, choice: Choice, key: str | None) -> dict[str, Any] | None:
    """The person's final standing in the closed period, from their own history."""
    if key is None:
        return None
    query = {"scope": choice.scope, "period": choice.kind, "category": choice.category}
    history = maybe(caller, f"/api/v1/members/{caller.staff_no}/history", {**query, "limit": 5})
    found = next(
        (i for i in (history or {}).get("items", []) if i.get("period_key") == key and i["rank"]),
        None,
    )
    if found is None:
        return None
    me = maybe(caller, f"/api/v1/members/{caller.staff_no}", {}) or {}
    return {**found, "member": caller.staff_no, "name": me.get("name")}
