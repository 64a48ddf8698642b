"""What the lobby wall shows, read with the display's key as the API would answer it.

This week's boards: the organisation's top members, and the top-level units against each other
by participation and by points per member (``/api/v1/leaderboard`` and ``/teams``), with the
units' names (``/api/v1/units``). Every read goes through gateway/as_person.py with the
display key's system caller, so the routing table, the scopes and the leaderboard's own rules
apply as to any API call. The viewer is nobody: under the ``ranks_only`` privacy setting the
leaderboard gives the rows without names, and the wall blanks them too, so the setting holds
here whatever a row says.

Beside the boards, the latest badges and exemplary reports: gateway/pages/wall_recognition.py.
"""

from __future__ import annotations

from typing import Any

from gateway.as_person import read
from gateway.auth import Caller
from gateway.pages import wall_recognition

TOP_MEMBERS = 10
TOP_UNITS = 6
PERIOD = "week"
RANKS_ONLY = "ranks_only"  # the leaderboard's privacy setting that hides others' names


def gather(caller: Caller) -> dict[str, Any]:
    """The wall's content; ``Refused`` (or an ``ApiError``) when a board cannot be read."""
    privacy = read(caller, "/api/v1/leaderboard/settings").get("privacy")
    hidden = privacy == RANKS_ONLY
    board = read(
        caller,
        "/api/v1/leaderboard",
        {"scope": "org", "period": PERIOD, "category": "total", "limit": TOP_MEMBERS},
    )
    names = unit_names(caller)
    return {
        "names_hidden": hidden,
        "period_key": board.get("period_key", ""),
        "members": [member_row(row, hidden) for row in board["items"]],
        "participation": units_by(caller, "participation", names),
        "per_member": units_by(caller, "per_member", names),
        **wall_recognition.gather(caller, hidden, names),
    }


def member_row(row: dict[str, Any], hidden: bool) -> dict[str, Any]:
    """A board row as the wall shows it: no name at all when names are hidden."""
    return {
        "rank": row["rank"],
        "points": row["points"],
        "name": None if hidden else (row.get("name") or row.get("member")),
    }


def units_by(caller: Caller, metric: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """The top-level units ranked by ``metric`` this week, with their names."""
    answer = read(
        caller,
        "/api/v1/leaderboard/teams",
        {"period": PERIOD, "category": "total", "by": metric},
    )
    return [
        {**row, "name": names.get(row["unit"], row["unit"])} for row in answer["items"][:TOP_UNITS]
    ]


def unit_names(caller: Caller) -> dict[str, str]:
    """Unit code -> name; the codes alone when the organisation tree cannot be read now (the
    boards can do without names)."""
    units = wall_recognition.answer_of(caller, "/api/v1/units")
    if not isinstance(units, list):
        return {}
    return {unit["code"]: unit["name"] for unit in units if isinstance(unit, dict)}
