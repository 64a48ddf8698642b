"""The platform for fuzzing: real processes (the one harness's), one platform per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import UNREACHED_RATE_LIMITS, Platform, launched


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    var_dir = tmp_path_factory.mktemp("fuzz")
    env = {"MAX_BODY_BYTES": str(64 * 1024), "LOG_LEVEL": "warning", **UNREACHED_RATE_LIMITS}
    with launched(var_dir, None, "fuzz", **env) as platform:
        platform.setup_org(3)
        yield platform
