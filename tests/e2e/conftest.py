"""The whole platform as real processes (the gunicorn services, the rq worker and ticker, a
redis-server), started with the commands `make run` uses, on free ports under a temporary
var/; one platform for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import Platform, launched

ENV = {
    "PROJECTION_INTERVAL": "2",
    "RULES_CACHE_SECONDS": "1",
    "WEB_WORKERS": "2",
    "SESSION_CLOSE_INTERVAL": "2",
    # Delivery retries within a test's patience: the ticker's sweep every 2 s, 1 s of back-off.
    "DELIVERY_INTERVAL": "2",
    "DELIVERY_BACKOFF_SECONDS": "1",
}


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with launched(tmp_path_factory.mktemp("platform"), None, "e2e", **ENV) as platform:
        yield platform


@pytest.fixture(scope="session")
def admin_key(platform: Platform) -> str:
    return platform.admin_key


@pytest.fixture(scope="session")
def sender_key(platform: Platform) -> str:
    return platform.sender_key


@pytest.fixture(scope="session")
def reader_key(platform: Platform) -> str:
    return platform.reader_key
