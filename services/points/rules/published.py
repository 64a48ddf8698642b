"""The published rule sets, fetched from the rewards service and cached for a few seconds.

Pricing happens here, in-process, so intake never waits on another hop; a rule set published
in the rewards service takes effect within RULES_CACHE_SECONDS. Events are priced by the version
in force at their ``occurred_at`` (a late-arriving event is priced as it would have been then).
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from services.common.errors import ApiError, ServiceUnavailable
from services.common.http import ServiceClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleVersion:
    version: int
    effective_from: datetime
    document: dict[str, Any]


class RuleBook:
    def __init__(self, versions: list[RuleVersion]) -> None:
        if not versions:
            raise ServiceUnavailable("No rule set is published yet.")
        self.versions = sorted(versions, key=lambda v: (v.effective_from, v.version))
        self._starts = [v.effective_from for v in self.versions]

    def at(self, instant: datetime) -> RuleVersion:
        """The version in force at ``instant``; the earliest one if it predates them all."""
        index = bisect.bisect_right(self._starts, instant) - 1
        return self.versions[max(index, 0)]


class RuleCache:
    def __init__(self, client: ServiceClient, ttl_seconds: float) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self._book: RuleBook | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def book(self) -> RuleBook:
        if self._book is not None and time.monotonic() - self._fetched < self.ttl:
            return self._book
        with self._lock:
            if self._book is None or time.monotonic() - self._fetched >= self.ttl:
                self._refresh()
        assert self._book is not None
        return self._book

    def _refresh(self) -> None:
        try:
            payload = self.client.get("/internal/v1/rulesets/published")
        except ApiError:
            if self._book is None:
                raise ServiceUnavailable("Rules are unavailable; retry shortly.") from None
            # Keep pricing with the last known rules rather than refusing intake.
            log.warning("rewards service unreachable; pricing with cached rules")
            self._fetched = time.monotonic()
            return
        self._book = RuleBook(
            [
                RuleVersion(
                    version=item["version"],
                    effective_from=_aware(datetime.fromisoformat(item["effective_from"])),
                    document=item["document"],
                )
                for item in payload["items"]
            ]
        )
        self._fetched = time.monotonic()


def _aware(instant: datetime) -> datetime:
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)
