"""The rewards and points services wired to each other over real HTTP, on a real database:
rewards reads rule sets' events from points (previews) and asks it to re-score; points fetches
published rule sets from rewards.

The services run on a clock of the tests' own (``clock``): it starts at noon on a day well
inside its week and month and runs at real speed, so what lands on which local day, week or
month never depends on when the tests run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from redis import Redis

from services.common.calendar import local_date
from services.common.http import ServiceClient
from services.common.migrations import upgrade
from services.contracts import internal_signer
from services.settings import Settings
from tests.support import serving

ZONE = "Asia/Shanghai"  # the organisation's time zone in the test settings
START = datetime(2026, 11, 12, 4, tzinfo=UTC)  # Thursday 12 November 2026, 12:00 in ZONE


class Clock:
    """``START`` when a test begins, then on at real speed."""

    def __init__(self) -> None:
        self.origin = time.monotonic()

    def restart(self) -> None:
        self.origin = time.monotonic()

    def now(self) -> datetime:
        return START + timedelta(seconds=time.monotonic() - self.origin)

    def today(self) -> date:
        return local_date(self.now(), ZONE)


clock = Clock()


def use_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every loaded service module that reads the time through ``utcnow`` reads ``clock``."""
    from services.common import db

    real = db.utcnow
    for name, module in list(sys.modules.items()):
        if name.startswith("services.") and getattr(module, "utcnow", None) is real:
            monkeypatch.setattr(module, "utcnow", clock.now)
    clock.restart()


@dataclass
class Services:
    rewards: FlaskClient
    points: FlaskClient

    def publish(self, document: dict[str, Any], **extra: Any) -> int:
        body = {"name": "test", "document": document, **extra}
        answer = self.rewards.post("/api/v1/rulesets", json=body)
        assert answer.status_code == 201, answer.get_json()
        return int(answer.get_json()["version"])

    def post(self, *events: dict[str, Any]) -> Any:
        answer = self.points.post("/api/v1/events", json={"events": list(events)})
        assert answer.status_code in (200, 201), answer.get_json()
        return answer.get_json()["results"]

    def ledger(self, member: str) -> dict[str, Any]:
        body: dict[str, Any] = self.points.get(
            f"/api/v1/members/{member}/ledger?limit=500"
        ).get_json()
        return body


@pytest.fixture
def services(
    settings: Settings, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    from services.points.app import create_app as create_points
    from services.rewards.app import create_app as create_rewards

    upgrade("services.rewards", settings.database_url("rewards"))
    upgrade("services.points", settings.database_url("points"))
    rewards = create_rewards(settings)
    with serving(rewards) as rewards_url:
        urls = {**settings.service_urls, "rewards": rewards_url}
        points = create_points(settings.with_overrides(service_urls=urls, rules_cache_seconds=0))
        use_clock(monkeypatch)  # once both apps have imported their modules
        with serving(points) as points_url:
            signer = internal_signer(settings)
            rewards.extensions["points"] = ServiceClient("points", points_url, signer=signer)
            client = points.test_client()
            for unit in ({"code": "north", "name": "North"}, {"code": "south", "name": "South"}):
                assert client.post("/api/v1/units", json=unit).status_code == 201
            for staff_no, unit in (("S1", "north"), ("S2", "north"), ("S3", "south")):
                body = {"staff_no": staff_no, "name": f"Member {staff_no}", "unit": unit}
                assert client.post("/api/v1/members", json=body).status_code == 201
            yield Services(rewards.test_client(), client)
        points.extensions["db"].dispose()
    rewards.extensions["db"].dispose()
