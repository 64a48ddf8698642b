"""Custom groups as an audience: a study session's expected attendees or a quiz's invited.

The leaderboard service owns the groups (services/leaderboard/config/groups.py); this module
asks it for a group's members (services.contracts.GROUPS_PATH) at the moment the points service
records an audience, and the caller stores them as named members tagged with the group they came
from. So a group is *expanded* when a session is scheduled or a quiz kept (and again on a change
that names groups): a later change to the group does not change who is expected at a session
already scheduled, nor who a kept quiz is for. Kept so on purpose: the leaderboard may be down,
and attendance and quiz intake (and closing a session) must never depend on it; asking it once,
when an admin is at hand to retry, is the only moment it matters.

Members of a group that the points service does not know, or who are inactive, are left out (a
group is the leaderboard's list and may still hold people who left); a group with no one left is
refused. The leaderboard unreachable, slow or broken is a 503 with Retry-After, asked before any
write, so nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import (
    BadGateway,
    GatewayTimeout,
    ServiceUnavailable,
    Unprocessable,
)
from services.common.http import ServiceClient, UpstreamError
from services.contracts import GROUPS_PATH
from services.points.models import Member

RETRY_AFTER = 10  # seconds: a leaderboard restarting is back well within it


def _invalid(path: Sequence[str], message: str) -> Unprocessable:
    errors: dict[str, Any] = {path[-1]: [message]}
    for name in reversed(path[:-1]):
        errors = {name: errors}
    return Unprocessable(errors={"json": errors})


def fetch(codes: Sequence[str], path: Sequence[str]) -> dict[str, list[str]]:
    """code -> staff numbers of each group named (none named: no call). 422 at ``path`` (the
    field's place in the body, e.g. ``("expected", "groups")``) naming unknown groups; 503 with
    Retry-After when the leaderboard cannot answer. Call it before opening a write transaction:
    no database lock is held while waiting for another service."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    client: ServiceClient = current_app.extensions["leaderboard"]
    try:
        found = client.get(GROUPS_PATH, codes=",".join(wanted))
    except UpstreamError as exc:  # a refusal of ours (say, secrets that differ): not a pause
        raise BadGateway(f"The leaderboard service refused to list groups ({exc.status}).") from exc
    except (ServiceUnavailable, GatewayTimeout, BadGateway) as exc:
        raise ServiceUnavailable(
            "The leaderboard service, which keeps the custom groups, cannot answer now; "
            "nothing was changed. Try again shortly.",
            retry_after=RETRY_AFTER,
        ) from exc
    if found["not_found"]:
        raise _invalid(path, f"Unknown group(s): {', '.join(found['not_found'])}.")
    return {item["code"]: item["members"] for item in found["items"]}


def members(
    session: Session, fetched: dict[str, list[str]], path: Sequence[str]
) -> dict[str, dict[str, tuple[int, int]]]:
    """code -> {staff number: (member id, unit id)} of each group's active members known here
    (one query); 422 at ``path`` naming a group with no one left."""
    everyone = {staff_no for staff_nos in fetched.values() for staff_no in staff_nos}
    rows = session.execute(
        select(Member.staff_no, Member.id, Member.unit_id).where(
            Member.staff_no.in_(everyone), Member.active.is_(True)
        )
    )
    known = {row.staff_no: (row.id, row.unit_id) for row in rows}
    grouped = {
        code: {s: known[s] for s in staff_nos if s in known} for code, staff_nos in fetched.items()
    }
    if empty := [code for code, found in grouped.items() if not found]:
        raise _invalid(path, f"No active member in group(s): {', '.join(sorted(empty))}.")
    return grouped
