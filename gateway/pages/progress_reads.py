"""What My progress reads, as the signed-in member, and how much: the ledger's recent entries
for the charts (newest first, page by page, never more than ``MOST_ENTRIES``), one page of the
ledger to list, the profile, the rules' badges, the member's sessions and quizzes. Every read
goes through gateway/as_person.py, so the page shows only what the API would."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import get_timezone

from gateway.as_person import Refused, read
from gateway.auth import Caller
from services.common.errors import ApiError

LEDGER_PAGE = 20  # entries listed per page
CHART_PAGE = 500  # the ledger's largest page
MOST_ENTRIES = 2000  # the charts read no more than this (a very busy member's oldest weeks
# then show less, and the page says so)


def today() -> date:
    """Today in the organisation's time zone."""
    return datetime.now(get_timezone()).date()


def ledger_path(staff_no: str) -> str:
    return f"/api/v1/members/{staff_no}/ledger"


def recent_entries(caller: Caller, staff_no: str, since: date) -> tuple[list[dict[str, Any]], bool]:
    """The member's entries dated ``since`` or later, and whether the bound cut them short."""
    found: list[dict[str, Any]] = []
    while len(found) < MOST_ENTRIES:
        query = {"limit": CHART_PAGE, "offset": len(found)}
        items = read(caller, ledger_path(staff_no), query)["items"]
        found.extend(items)
        if len(items) < CHART_PAGE or items[-1]["local_date"] < since.isoformat():
            return [e for e in found if e["local_date"] >= since.isoformat()], False
    return [e for e in found if e["local_date"] >= since.isoformat()], True


def ledger_page(caller: Caller, staff_no: str, page: int) -> dict[str, Any]:
    query = {"limit": LEDGER_PAGE, "offset": (page - 1) * LEDGER_PAGE}
    return read(caller, ledger_path(staff_no), query)


def profile(caller: Caller, staff_no: str) -> dict[str, Any]:
    return read(caller, f"/api/v1/members/{staff_no}/profile")


def next_badges(caller: Caller, held: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The rules' badges the member does not hold yet; None when the rules cannot answer."""
    try:
        catalog = read(caller, "/api/v1/catalog")
    except (Refused, ApiError):
        return None  # no rules in force, or the rules' service is down: the held ones show
    codes = {badge["code"] for badge in held}
    return [badge for badge in catalog.get("badges", []) if badge.get("code") not in codes]


def sessions(caller: Caller, staff_no: str, limit: int = 100) -> dict[str, Any]:
    return read(caller, f"/api/v1/members/{staff_no}/sessions", {"limit": limit})


def quizzes(caller: Caller, staff_no: str, limit: int = 50) -> dict[str, Any]:
    return read(caller, f"/api/v1/members/{staff_no}/quizzes", {"limit": limit})
