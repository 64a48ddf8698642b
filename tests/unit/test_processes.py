"""The process list of `make run` keeps secrets off command lines, which `ps` shows anyone, and
is what `python -m deploy.platform part NAME` runs (systemd units, containers)."""

from __future__ import annotations

import pytest

from deploy.platform import part_command
from deploy.processes import all_processes
from services.settings import Settings


def test_no_command_line_carries_the_redis_password() -> None:
    settings = Settings.from_env({"REDIS_URL": "redis://:hunter2-secret@127.0.0.1:6390/0"})
    for process in all_processes(settings):
        assert "hunter2-secret" not in " ".join(process.command), process.name


def test_one_part_is_its_command_in_the_process_list_and_an_unknown_one_is_named() -> None:
    settings = Settings.from_env({})
    for process in all_processes(settings):
        assert part_command(settings, process.name) == process.command
    with pytest.raises(SystemExit, match="no part 'web': one of gateway, points"):
        part_command(settings, "web")
