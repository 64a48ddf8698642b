"""Fault drills: each test gets the whole platform as real processes on free ports, on SQLite
(a file per service, as `make run` sets it up) and, when TEST_DATABASE_URL is set, on
PostgreSQL (every service in one private schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import Platform, launched
from tests.support import DATABASES, postgres_url, private_postgres_schema

pytestmark = pytest.mark.drills

ENV = {
    "PROJECTION_INTERVAL": "1",
    "RULES_CACHE_SECONDS": "1",
    "DB_LOCK_TIMEOUT": "2",  # a locked database answers 503 within two seconds
    "WEB_WORKERS": "2",
    "LOG_LEVEL": "warning",
}


@pytest.fixture(params=DATABASES)
def drill(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    if request.param == "sqlite":
        with launched(tmp_path, None, "drill", **ENV) as platform:
            yield platform
        return
    with (
        private_postgres_schema(str(postgres_url())) as url,
        launched(tmp_path, url, "drill", **ENV) as platform,
    ):
        yield platform
