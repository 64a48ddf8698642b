"""Names for a preview's staff numbers and unit codes, read as the admin (the API's units list
and each mover's member record); a name that cannot be read leaves the code as it is."""

from __future__ import annotations

from typing import Any

from gateway.as_person import send
from gateway.auth import Caller


def unit_names(caller: Caller) -> dict[str, str]:
    status, units = send(caller, "GET", "/api/v1/units")
    if status != 200 or not isinstance(units, list):
        return {}
    return {unit["code"]: unit["name"] for unit in units if isinstance(unit, dict)}


def member_names(caller: Caller, preview: dict[str, Any]) -> dict[str, str]:
    """The names of the movers (at most twenty: ten up, ten down)."""
    found: dict[str, str] = {}
    for row in preview["movers"]["up"] + preview["movers"]["down"]:
        status, member = send(caller, "GET", f"/api/v1/members/{row['member']}")
        if status == 200 and isinstance(member, dict) and member.get("name"):
            found[row["member"]] = member["name"]
    return found
