"""People in the end-to-end tests: the first admin from the CLI `make run`'s README names, and
a first password changed through the real API, as a person would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.harness import Platform

NEW_PASSWORD = "a long e2e password"


def cli_admin(platform: Platform, staff_no: str) -> str:
    flask = str(Path(sys.executable).parent / "flask")
    args = [flask, "--app", "gateway", "accounts", "create-admin", "--staff-no", staff_no]
    out = subprocess.run(args, env=dict(platform.env), check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def settled_token(platform: Platform, staff_no: str, first: str) -> str:
    signed = platform.call(
        "POST", "/api/v1/auth/sign-in", {"staff_no": staff_no, "password": first}, key=""
    )
    assert signed.status == 200 and signed.body["must_change_password"], signed.body
    change = {"old_password": first, "new_password": NEW_PASSWORD}
    changed = platform.call(
        "POST", "/api/v1/auth/password", change, key=signed.body["access_token"]
    )
    assert changed.status == 204, changed.body
    again = platform.call(
        "POST", "/api/v1/auth/sign-in", {"staff_no": staff_no, "password": NEW_PASSWORD}, key=""
    )
    assert again.status == 200, again.body
    token: str = again.body["access_token"]
    return token
