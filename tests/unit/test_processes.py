"""The process list of `make run` keeps secrets off command lines, which `ps` shows anyone."""

from __future__ import annotations

from deploy.processes import all_processes
from services.settings import Settings


def test_no_command_line_carries_the_redis_password() -> None:
    settings = Settings.from_env({"REDIS_URL": "redis://:hunter2-secret@127.0.0.1:6390/0"})
    for process in all_processes(settings):
        assert "hunter2-secret" not in " ".join(process.command), process.name
