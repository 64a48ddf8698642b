"""What Sessions and quizzes reads, as the signed-in member: their sessions with their record
(the points service lists those they are expected at while open, and every one they have a
record at), and the quizzes open or announced for them. The quiz list is the organisation's,
so the page keeps those naming the member or one of the units above them; a quiz for a custom
group only names its members by count, so it shows here once the member has taken it (it is
then among their results)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gateway.as_person import read
from gateway.auth import Caller

MOST_SESSIONS = 100
MOST_QUIZZES = 200  # per state: the open and the announced ones
DEEPEST_TREE = 12  # a unit path longer than this is not followed further


def my_sessions(caller: Caller, staff_no: str) -> dict[str, list[dict[str, Any]]]:
    """The member's sessions: ``coming`` (not started yet), ``waiting`` (started, no record
    yet) and ``past`` (with a record, or closed, or cancelled), each in the API's order."""
    found = read(caller, f"/api/v1/members/{staff_no}/sessions", {"limit": MOST_SESSIONS})
    now = datetime.now(UTC).isoformat()
    parts: dict[str, list[dict[str, Any]]] = {"coming": [], "waiting": [], "past": []}
    for row in found["items"]:
        if row["state"] != "scheduled" or row["status"] is not None:
            parts["past"].append(row)
        elif row["starts_at"] > now:
            parts["coming"].insert(0, row)  # the soonest first
        else:
            parts["waiting"].append(row)
    return parts


def may_excuse(row: dict[str, Any]) -> bool:
    """Whether the page offers an excuse: none sent, not cancelled, not attended."""
    attended = row["status"] in ("on_time", "late", "excused")
    return row["excuse"] is None and row["state"] != "cancelled" and not attended


def my_units(caller: Caller, staff_no: str) -> set[str]:
    """The member's unit and every unit above it."""
    code: str | None = read(caller, f"/api/v1/members/{staff_no}")["unit"]
    units: set[str] = set()
    while code and code not in units and len(units) < DEEPEST_TREE:
        units.add(code)
        code = read(caller, f"/api/v1/units/{code}").get("parent")
    return units


def my_quizzes(caller: Caller, staff_no: str) -> list[dict[str, Any]]:
    """Quizzes open now, then those announced, that name the member or a unit of theirs."""
    units = my_units(caller, staff_no)
    found: list[dict[str, Any]] = []
    for state in ("open", "upcoming"):
        query = {"state": state, "limit": MOST_QUIZZES}
        items = read(caller, "/api/v1/quizzes", query)["items"]
        mine = [q for q in items if staff_no in q["members"] or units & set(q["units"])]
        found.extend(sorted(mine, key=lambda quiz: quiz["opens_at"]))
    return found
