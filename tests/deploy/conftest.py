"""The platform as real processes behind a real nginx running deploy/nginx/platform.conf, on
loopback with a certificate made for the test; one of each for the tier's session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import Platform, launched, nginx

ENV = {"PROJECTION_INTERVAL": "2", "WEB_WORKERS": "2", "TRUSTED_PROXIES": "1"}


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if not nginx.installed():
        pytest.skip("nginx is not installed: make nginx")
    with launched(tmp_path_factory.mktemp("platform"), None, "deploy", **ENV) as platform:
        yield platform


@pytest.fixture(scope="session")
def front(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[nginx.Nginx]:
    gateway = platform.settings.ports["gateway"]
    with nginx.running(tmp_path_factory.mktemp("nginx"), [gateway]) as front:
        yield front
