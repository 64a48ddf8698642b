"""Waiting on a condition, not on a clock: ``wait_until`` polls until the condition holds and,
when it never does, fails with what it saw last."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T],
    timeout: float = 30.0,
    every: float = 0.05,
    what: str = "the condition",
    ignoring: tuple[type[BaseException], ...] = (),
) -> T:
    """Call ``condition`` until it returns something true, and return that.

    A condition may also say "not yet" by raising AssertionError (its message says why) or
    one of ``ignoring`` (a service restarting, say). Past ``timeout`` seconds this fails with
    the last value returned or the last of those errors, so a failure shows what was seen.
    """
    not_yet: tuple[type[BaseException], ...] = (AssertionError, *ignoring)
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
            seen = f"last returned {result!r}"
            if result:
                return result
        except not_yet as exc:
            seen = f"last raised {type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s; {seen}")
        time.sleep(every)
