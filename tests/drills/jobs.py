"""A job the drills hand to the platform's own worker (enqueued by this dotted name)."""

from __future__ import annotations

import os
import signal

from deploy.local import listening
from tests.harness import wait_until


def kill_redis(pid: int, port: int) -> None:
    """Redis dies under the worker's own bookkeeping."""
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not listening("127.0.0.1", port), 10, 0.01, "Redis gone")
