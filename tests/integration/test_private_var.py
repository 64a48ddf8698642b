"""`python -m deploy.platform migrate` (what `make run` runs first): everything it writes under
VAR_DIR is private from the first byte, and the URLs it prints show no password."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import postgres_url, private_postgres_schema


def _migrate(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.endswith(("DATABASE_URL", "REDIS_URL"))}
    answer = subprocess.run(
        [sys.executable, "-m", "deploy.platform", "migrate"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return answer.stdout + answer.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_var_and_its_databases_are_the_owners_alone(tmp_path: Path) -> None:
    var = tmp_path / "var"
    _migrate({"VAR_DIR": str(var)})
    assert _mode(var) == 0o700
    databases = sorted(var.glob("*.db"))
    assert len(databases) == 4
    assert {path.name: _mode(path) for path in databases} == {p.name: 0o600 for p in databases}


@pytest.mark.skipif(postgres_url() is None, reason="needs TEST_DATABASE_URL")
def test_a_database_password_is_masked_when_printed(tmp_path: Path) -> None:
    base = postgres_url()
    assert base is not None
    with private_postgres_schema(base) as url:
        # The local server trusts loopback, so any password is accepted: the one given here
        # must never be printed.
        scheme, rest = url.split("://", 1)
        user, host = rest.split("@", 1)
        secret = "hunter2-not-for-logs"
        printed = _migrate(
            {"VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": f"{scheme}://{user}:{secret}@{host}"}
        )
    assert "migrated points: " in printed and f"{user}:***@" in printed
    assert secret not in printed
