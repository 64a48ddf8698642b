"""What stands beside a board: the team standings (units against their sibling units, per
member, participation and total) and the most improved members and units, for the same
period and category. Each is a part the page can do without."""

from __future__ import annotations

from datetime import date
from typing import Any

from gateway.auth import Caller
from gateway.pages import unit_names
from gateway.pages.board_choice import Choice
from gateway.pages.board_reads import maybe

IMPROVED = 5  # members and units named as most improved


def team_parent(choice: Choice, tree: list[dict[str, Any]]) -> str | None:
    """Whose sub-units compete: the chosen unit's, or a team's siblings; the top level for
    the organisation and for a custom group."""
    if not choice.scope.startswith("unit:"):
        return None
    code = choice.scope.removeprefix("unit:")
    if unit_names.children(tree, code):
        return code
    return unit_names.parent_of(tree, code)


def side(caller: Caller, choice: Choice, today: date, tree: list[dict[str, Any]]) -> dict[str, Any]:
    board = choice.board(today)
    window = {k: v for k, v in board.items() if k != "scope"}
    parent = team_parent(choice, tree)
    of_units = {**window, **({"parent": parent} if parent else {})}
    teams = maybe(caller, "/api/v1/leaderboard/teams", {**of_units, "by": "per_member"})
    members = maybe(caller, "/api/v1/leaderboard/improved", {**board, "limit": IMPROVED})
    units = maybe(caller, "/api/v1/leaderboard/teams/improved", of_units)
    return {
        "parent": parent,
        "teams": (teams or {}).get("items"),
        "improved": [m for m in (members or {}).get("items", []) if m["gain"] > 0],
        "units_improved": [u for u in (units or {}).get("items", []) if u["gain"] > 0][:IMPROVED],
        "improved_since": (members or units or {}).get("previous_period_key"),
    }
