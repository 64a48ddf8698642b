"""The Redis `make run` starts itself: loopback only, a password nobody can read from `ps`,
kept in a private file, and a memory policy that never evicts a board."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, OutOfMemoryError, ResponseError
from redis.retry import Retry

from deploy.platform import start_embedded_redis, with_embedded_redis_password
from services.common.embedded_redis import CONFIG_FILE, SECRET_FILE
from services.settings import Settings
from tests.support import free_port


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[Settings, subprocess.Popen[bytes]]]:
    env = {"VAR_DIR": str(tmp_path), "EMBEDDED_REDIS_PORT": str(free_port())}
    env["REDIS_MAXMEMORY"] = "64mb"
    settings = Settings.from_env(env)
    process = start_embedded_redis(settings)
    try:
        yield with_embedded_redis_password(settings), process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_client_without_the_password_is_refused(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, _ = embedded
    stranger = Redis(port=settings.embedded_redis_port, retry=Retry(NoBackoff(), 0))
    with pytest.raises(AuthenticationError):
        stranger.ping()
    with pytest.raises((AuthenticationError, ResponseError)):
        stranger.execute_command("AUTH", "guess")
    with pytest.raises(AuthenticationError):
        stranger.rpush("rq:queue:default", "payload")


def test_the_settings_url_carries_the_password_and_is_accepted(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, _ = embedded
    password = (settings.var_dir / SECRET_FILE).read_text().strip()
    assert f":{password}@" in settings.redis_url
    # What every later process reads: the settings made from the same VAR_DIR, unprompted.
    again = Settings.from_env(
        {"VAR_DIR": str(settings.var_dir), "EMBEDDED_REDIS_PORT": str(settings.embedded_redis_port)}
    )
    assert again.redis_url == settings.redis_url
    client = Redis.from_url(settings.redis_url)
    assert client.ping() and client.set("lb:probe", "1")


def test_the_password_is_on_no_command_line(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, process = embedded
    password = (settings.var_dir / SECRET_FILE).read_text().strip()
    # The command as started (redis-server later retitles itself, which would hide it from
    # /proc only after `ps` could already have shown it) and as the system shows it now.
    assert not any(password in str(part) for part in process.args)
    assert password.encode() not in Path(f"/proc/{process.pid}/cmdline").read_bytes()
    assert (
        str(settings.embedded_redis_port).encode()
        in (settings.var_dir / "redis" / CONFIG_FILE).read_bytes()
    )


def test_it_never_evicts_and_has_a_memory_limit(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, _ = embedded
    client = Redis.from_url(settings.redis_url)
    config = client.config_get("maxmemory*")
    assert config["maxmemory-policy"] == "noeviction"
    assert int(config["maxmemory"]) == 64 * 1024 * 1024
    assert client.config_get("protected-mode")["protected-mode"] == "yes"
    assert client.config_get("bind")["bind"] == "127.0.0.1"


def test_its_secret_and_config_are_the_owners_alone(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, _ = embedded
    assert _mode(settings.var_dir / SECRET_FILE) == 0o600
    assert _mode(settings.var_dir / "redis" / CONFIG_FILE) == 0o600


def test_a_full_redis_refuses_writes_rather_than_evicting_boards(embedded) -> None:  # type: ignore[no-untyped-def]
    settings, _ = embedded
    client = Redis.from_url(settings.redis_url)
    client.zadd("lb:{org:all:total}", {"S0001": -5})
    client.set("lb:filler", "x" * 2_000_000)
    client.config_set("maxmemory", "1mb")  # below what the server already uses
    try:
        with pytest.raises(OutOfMemoryError):
            client.set("lb:cache:x", "x" * 4096)
        assert client.zscore("lb:{org:all:total}", "S0001") == -5  # the board is still there
    finally:
        client.config_set("maxmemory", "64mb")
