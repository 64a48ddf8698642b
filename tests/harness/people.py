"""People through the real processes, as the README says to make them: the first admin from
the gateway's CLI, accounts and roles over the API, each first password changed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.harness import Platform

PASSWORD = "a long e2e password"


def cli_admin(platform: Platform, staff_no: str) -> str:
    """An organisation-wide admin's access token (the CLI prints a one-time password)."""
    flask = str(Path(sys.executable).parent / "flask")
    args = [flask, "--app", "gateway", "accounts", "create-admin", "--staff-no", staff_no]
    out = subprocess.run(args, env=dict(platform.env), check=True, capture_output=True, text=True)
    return settled(platform, staff_no, out.stdout.strip().splitlines()[-1])


def settled(platform: Platform, staff_no: str, first: str) -> str:
    """Sign in with a first password, change it, sign in again: an access token."""
    signed = platform.call(
        "POST", "/api/v1/auth/sign-in", {"staff_no": staff_no, "password": first}, key=""
    )
    assert signed.status == 200, signed.body
    change = {"old_password": first, "new_password": PASSWORD}
    changed = platform.call(
        "POST", "/api/v1/auth/password", change, key=signed.body["access_token"]
    )
    assert changed.status == 204, changed.body
    again = platform.call(
        "POST", "/api/v1/auth/sign-in", {"staff_no": staff_no, "password": PASSWORD}, key=""
    )
    assert again.status == 200, again.body
    token: str = again.body["access_token"]
    return token


def account(platform: Platform, admin: str, staff_no: str, *roles: tuple[str, str]) -> str:
    """A member's account made by an admin, with (role, unit) roles: their access token."""
    made = platform.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no}, key=admin)
    assert made.status == 201, made.body
    for role, unit in roles:
        path = f"/api/v1/auth/accounts/{staff_no}/roles"
        granted = platform.call("POST", path, {"role": role, "unit": unit}, key=admin)
        assert granted.status == 200, granted.body
    return settled(platform, staff_no, made.body["one_time_password"])


def organisation(
    platform: Platform,
    admin: str,
    units: Iterable[tuple[str, str, str | None]],
    members: Iterable[tuple[str, str] | tuple[str, str, str]],
) -> None:
    """Units (code, name, parent or None), then members (staff no, unit), named by their
    number, or (staff no, name, unit)."""
    for code, name, parent in units:
        unit = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        assert platform.call("POST", "/api/v1/units", unit, key=admin).status == 201
    for member in members:
        staff_no, unit_code = member[0], member[-1]
        body = {"staff_no": staff_no, "name": member[1] if len(member) == 3 else staff_no}
        body["unit"] = unit_code
        assert platform.call("POST", "/api/v1/members", body, key=admin).status == 201
