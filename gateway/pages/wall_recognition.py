"""What the lobby wall shows beside the boards: who earned what lately.

The latest badges across the organisation (``GET /api/v1/badges/recent``) and the latest
exemplary practice reports their authors share (``GET /api/v1/reports/exemplary``, the list
every member reads on ``/reports/exemplary``), both read with the display key as any API call
is. Under the ``ranks_only`` privacy setting the wall names nobody, here as on its boards: a
badge keeps its title and unit, a report its title and unit, and no name is shown.

Either list that cannot be read now (a service down, an older service that refuses a key)
leaves its panel saying so; the boards beside it still show.
"""

from __future__ import annotations

from typing import Any

from gateway.as_person import send
from gateway.auth import Caller
from services.common.errors import ApiError

LATEST_BADGES = 5
EXEMPLARY_REPORTS = 3


def gather(caller: Caller, hidden: bool, units: dict[str, str]) -> dict[str, Any]:
    """The two panels' rows; a panel's ``None`` when its list cannot be read now."""
    badges = items(caller, "/api/v1/badges/recent", {"limit": LATEST_BADGES})
    reports = items(caller, "/api/v1/reports/exemplary", {"limit": EXEMPLARY_REPORTS})
    return {
        "badges": None if badges is None else [badge_row(b, hidden, units) for b in badges],
        "exemplary": None
        if reports is None
        else [report_row(caller, r, hidden, units) for r in reports],
    }


def badge_row(badge: dict[str, Any], hidden: bool, units: dict[str, str]) -> dict[str, Any]:
    return {
        "name": None if hidden else badge.get("name") or badge.get("member"),
        "unit": units.get(badge["unit"], badge["unit"]),
        "title": badge["title"],
    }


def report_row(
    caller: Caller, report: dict[str, Any], hidden: bool, units: dict[str, str]
) -> dict[str, Any]:
    return {
        "title": report["title"],
        "author": None if hidden else member_name(caller, report["author"]),
        "unit": units.get(report["unit"], report["unit"]),
    }


def items(caller: Caller, path: str, query: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The ``items`` of a list the API answers, or None when it cannot be read now."""
    answer = answer_of(caller, path, query)
    if not isinstance(answer, dict):
        return None
    return [item for item in answer.get("items", []) if isinstance(item, dict)]


def member_name(caller: Caller, staff_no: str) -> str:
    """A member's name (the members API), or their staff number when it cannot be read."""
    member = answer_of(caller, f"/api/v1/members/{staff_no}")
    return str(member.get("name") or staff_no) if isinstance(member, dict) else staff_no


def answer_of(caller: Caller, path: str, query: dict[str, Any] | None = None) -> Any:
    """The JSON of a 200 to ``GET path``, or None when it cannot be read now (refused at the
    gateway, any other status, the service down or slow): the wall shows what it can."""
    try:
        status, answer = send(caller, "GET", path, query=query)
    except ApiError:
        return None
    return answer if status == 200 else None
