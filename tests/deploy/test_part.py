"""`python -m deploy.platform part NAME`, what every systemd unit and container runs: the process
becomes the part itself (exec), so its supervisor's signals reach gunicorn directly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import urllib3

from deploy.local import free_port, wait_for_port

pytestmark = pytest.mark.deploy


def test_a_part_serves_its_health_under_the_pid_its_supervisor_started(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "VAR_DIR": str(tmp_path), "REWARDS_PORT": str(port), "WEB_WORKERS": "1"}
    part = [sys.executable, "-m", "deploy.platform", "part", "rewards"]
    process = subprocess.Popen(part, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        answer = urllib3.request("GET", f"http://127.0.0.1:{port}/healthz", retries=False)
        assert answer.status == 200 and answer.json()["status"] == "ok"
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert any(b"gunicorn" in word for word in cmdline), cmdline  # the same pid: exec
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0  # gunicorn's own orderly stop


def test_an_unknown_part_is_refused_with_the_list() -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "deploy.platform", "part", "web"], capture_output=True, text=True
    )
    assert refused.returncode == 1 and "no part 'web': one of gateway" in refused.stderr
