"""Whose member data a person may read: the one rule, as a table.

Under ``/api/v1/members/<staff_no>/``, the parts listed here are a member's own: a person reads
their own, and another member's only with a role named beside it. Systems' keys are not
people and keep to their scopes (gateway/routes.py). Boards, standings and everything not
listed stay readable to every signed-in member; what ``ranks_only`` hides there is the
leaderboard's to enforce, with the viewer the gateway sets (docs/architecture.md).
"""

from __future__ import annotations

import re

from gateway.accounts import ADMIN, REVIEWER
from gateway.auth import Caller
from services.common.errors import Forbidden

# part of the member's path -> roles that may read another member's
OWN_ONLY: dict[str, frozenset[str]] = {
    "ledger": frozenset({ADMIN, REVIEWER}),
    "profile": frozenset({ADMIN, REVIEWER}),
    "history": frozenset({ADMIN, REVIEWER}),
    "quizzes": frozenset({ADMIN, REVIEWER}),
    "sessions": frozenset({ADMIN, REVIEWER}),
}

_MEMBER_PART = re.compile(r"/api/v1/members/([^/]+)/([^/]+)/?")


def check(caller: Caller, path: str) -> None:
    """403 when a person asks for another member's own data without a role that allows it."""
    if caller.staff_no is None:
        return
    found = _MEMBER_PART.fullmatch(path)
    if found is None:
        return
    member, part = found.groups()
    allowed = OWN_ONLY.get(part)
    if allowed is None or member == caller.staff_no or caller.holds(*allowed):
        return
    raise Forbidden(f"Only {member} (or a reviewer or an admin) may read their {part}.")
