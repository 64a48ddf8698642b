"""python -m deploy.supervise COMMAND...: run COMMAND, and run it again whenever it exits.

The rq worker exits when Redis goes away in the middle of its own bookkeeping; under the
process manager of `make run` one exited process stops the whole platform. Redis is only a
projection, so its outage must not take the intake down: the worker is restarted (with a
growing pause, at most 30 s) until Redis is back, and the ticker's drains then catch up.
Only a stop signal (SIGTERM, SIGINT) ends the supervisor with its command; the command's exit
status does not, because `rq worker` exits with 0 after an error as well (see `supervise`).
The command dies with the supervisor even when that is killed outright (SIGKILL), so killing
the "worker" process of the platform kills the worker, as it would without a supervisor.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from types import FrameType

MAX_PAUSE = 30.0
HEALTHY_AFTER = 60.0  # a run this long resets the pause


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Linux: the kernel sends SIGKILL to the command when the supervisor dies.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def supervise(command: list[str]) -> int:
    child: subprocess.Popen[bytes] | None = None
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = 1.0
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command, preexec_fn=_die_with_parent)
        code = child.wait()
        # Status 0 is no clean stop: when Redis vanishes under a job's bookkeeping or between
        # jobs, rq logs "found an unhandled exception, quitting...", tears down and returns
        # normally, so `rq worker` exits with 0 whenever Redis is back in time for the
        # teardown. Only our own stop signal means that the command was meant to end.
        if stopping:
            return code
        if time.monotonic() - started > HEALTHY_AFTER:
            pause = 1.0
        print(f"supervise: {command[0]} exited with {code}; again in {pause:.0f}s", flush=True)
        time.sleep(pause)
        if stopping:
            return code
        pause = min(pause * 2, MAX_PAUSE)


def main(argv: list[str] | None = None) -> int:
    command = sys.argv[1:] if argv is None else argv
    if not command:
        print("usage: python -m deploy.supervise COMMAND [ARG...]", file=sys.stderr)
        return 2
    return supervise(command)


if __name__ == "__main__":
    sys.exit(main())
