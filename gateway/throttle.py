"""Failed sign-ins, counted per staff number and per client address in Redis.

Only failures count: a person who signs in right every time is never slowed. When either
count reaches its limit within the window (``SIGNIN_ACCOUNT_FAILURES``,
``SIGNIN_ADDRESS_FAILURES`` per ``SIGNIN_WINDOW_SECONDS``), every further attempt for that
account or from that address is a 429 with ``Retry-After`` until the window ends, right
password or not. The counting is the ``limits`` library (the engine under Flask-Limiter) on
the platform's Redis, so every gateway worker shares the counts. Flask-Limiter's own route
decorator counts requests before the view runs; it can count only failures (``deduct_when``),
but its key function would then read the staff number out of a body not yet validated, so the
view asks this module itself, after validation.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from services.common.errors import ApiError


class TooManyRequests(ApiError):
    status = 429


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    window_seconds: int


class SignInThrottle:
    def __init__(self, redis_url: str, limits: Limits) -> None:
        self.limiter = FixedWindowRateLimiter(storage_from_string(redis_url))
        self.window = limits.window_seconds
        self.items = {
            "account": RateLimitItemPerSecond(limits.per_account, limits.window_seconds),
            "address": RateLimitItemPerSecond(limits.per_address, limits.window_seconds),
        }

    def _keys(self, staff_no: str, address: str) -> dict[str, str]:
        return {"account": staff_no, "address": address}

    def check(self, staff_no: str, address: str) -> None:
        """429 with Retry-After when the account or the address used up its failures."""
        for kind, key in self._keys(staff_no, address).items():
            item = self.items[kind]
            if not self.limiter.test(item, "signin-failures", kind, key):
                stats = self.limiter.get_window_stats(item, "signin-failures", kind, key)
                wait = max(1, math.ceil(stats.reset_time - time.time()))
                raise TooManyRequests(
                    f"Too many failed sign-ins for this {kind}; try again in {wait} s.",
                    headers={"Retry-After": str(wait)},
                )

    def failed(self, staff_no: str, address: str) -> None:
        for kind, key in self._keys(staff_no, address).items():
            self.limiter.hit(self.items[kind], "signin-failures", kind, key)
