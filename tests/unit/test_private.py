"""Secrets kept out of sight: private files from the first byte, passwords masked in URLs, and
the embedded Redis's password taken from VAR_DIR by the settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from services.common.embedded_redis import SECRET_FILE, server_config
from services.common.private import masked, read_secret, secret_in, write_private
from services.settings import Settings


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:hunter2@db.example:5432/points", "postgresql://app:***@db.example:5432/points"),
        ("postgresql+psycopg://app:p%40ss@db/points?sslmode=require", "postgresql+psycopg://app:***@db/points?sslmode=require"),
        ("redis://:s3cret@127.0.0.1:6380/0", "redis://:***@127.0.0.1:6380/0"),
        ("rediss://default:s3cret@[::1]:6379/2", "rediss://default:***@[::1]:6379/2"),
    ],
)  # fmt: skip
def test_a_password_is_masked(url: str, shown: str) -> None:
    assert masked(url) == shown
    assert "hunter2" not in masked(url) and "s3cret" not in masked(url)


@pytest.mark.parametrize(
    "url",
    ["sqlite:////srv/var/points.db", "redis://127.0.0.1:6380/0", "postgresql://app@db/points"],
)
def test_a_url_without_a_password_is_shown_as_it_is(url: str) -> None:
    assert masked(url) == url


def test_a_url_that_cannot_be_read_is_not_shown_at_all() -> None:
    assert masked("redis://:s3cret@host:notaport/0") == "***"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_the_owners_alone_even_under_an_open_umask(tmp_path: Path) -> None:
    previous = os.umask(0)  # what a careless shell might have: files 0666
    try:
        write_private(tmp_path / "new" / "demo.key", "lk_x\n")
        secret = secret_in(tmp_path / "redis.secret")
    finally:
        os.umask(previous)
    assert (tmp_path / "new" / "demo.key").read_text() == "lk_x\n"
    assert _mode(tmp_path / "new" / "demo.key") == 0o600
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path / "redis.secret") == 0o600
    assert len(secret) == 64


def test_a_private_file_replaced_stays_private_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "demo.key"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["demo.key"]


def test_a_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "redis.secret"
    assert read_secret(path) == ""
    first = secret_in(path)
    assert secret_in(path) == first == read_secret(path)


def test_the_settings_put_the_saved_password_in_the_embedded_redis_url(tmp_path: Path) -> None:
    env = {"VAR_DIR": str(tmp_path), "EMBEDDED_REDIS_PORT": "7777"}
    assert Settings.from_env(env).redis_url == "redis://127.0.0.1:7777/0"  # before make run
    password = secret_in(tmp_path / SECRET_FILE)
    settings = Settings.from_env(env)
    assert settings.redis_url == f"redis://:{password}@127.0.0.1:7777/0"
    given = Settings.from_env({**env, "REDIS_URL": "redis://elsewhere:6379/0"})
    assert given.redis_url == "redis://elsewhere:6379/0"  # another Redis: its own URL, as given


def test_the_embedded_redis_config_refuses_strangers_and_never_evicts(tmp_path: Path) -> None:
    config = server_config(6380, tmp_path, password="s3cret", maxmemory="256mb").splitlines()
    for line in (
        "bind 127.0.0.1",
        "protected-mode yes",
        'requirepass "s3cret"',
        'maxmemory "256mb"',
        "maxmemory-policy noeviction",
    ):
        assert line in config
    without = server_config(6380, tmp_path, password="", maxmemory="0")
    assert "requirepass" not in without and "maxmemory-policy noeviction" in without
