"""Load through every instance at once: the same members' events posted concurrently through
nginx (over TLS, balanced over two gateways) and straight to each gateway, each event twice, the
gateways reaching two points services through nginx, two workers projecting. Exactly one
posting of each event is recorded, nothing is counted twice, and the boards equal the ledger."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import urllib3

from tests.harness import Platform, quiz
from tests.scale.conftest import Instances

pytestmark = pytest.mark.scale

MEMBERS = [f"S{i:03d}" for i in range(30)]
# Each member's eight quizzes, priced by the default rule set's bands (rewards migration 0001):
# 100% -> 10, >= 90% -> 6, >= 60% -> 3, below -> 1; twice over: 2 x (10 + 6 + 3 + 1) = 40.
SCORES = [100, 95, 70, 50] * 2
EACH_MEMBER = 40


def setup_members(platform: Platform) -> None:
    for unit in ({"code": "east", "name": "East"}, {"code": "west", "name": "West"}):
        assert platform.call("POST", "/api/v1/units", unit).status == 201
    for i, staff_no in enumerate(MEMBERS):
        body = {"staff_no": staff_no, "name": f"M {i}", "unit": ("east", "west")[i % 2]}
        assert platform.call("POST", "/api/v1/members", body).status == 201


def the_events() -> list[dict[str, Any]]:
    """Round by round, so that every member's events are in flight at the same time."""
    return [
        quiz(f"scale-{staff_no}-{n}", staff_no, score, f"2026-11-{10 + n:02d}T09:00:00+08:00")
        for n, score in enumerate(SCORES)
        for staff_no in MEMBERS
    ]


class Routes:
    """Posting one event through the balancer (nginx, TLS) or straight to one gateway."""

    def __init__(self, instances: Instances) -> None:
        self.platform = instances.platform
        self.front = instances.front
        self.gateway_ports = list(instances.gateways.values())
        self.https = urllib3.PoolManager(
            maxsize=16, ca_certs=str(instances.front.certificate), retries=False
        )

    def through_nginx(self, body: Any) -> int:
        answer = self.https.request(
            "POST", self.front.base_url + "/api/v1/events", body=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.platform.sender_key}",
                     "Content-Type": "application/json"}, timeout=60,
        )  # fmt: skip
        return answer.status

    def straight_to(self, gateway: int, body: Any) -> int:
        port = self.gateway_ports[gateway]
        return self.platform.call("POST", "/api/v1/events", body, self.platform.sender_key, port)[0]


def post_everything(routes: Routes, events: list[dict[str, Any]]) -> list[int]:
    """Each event twice at once: through nginx, and straight to a gateway (each in turn)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = []
        for i, event in enumerate(events):
            futures.append(pool.submit(routes.through_nginx, event))
            futures.append(pool.submit(routes.straight_to, i % 2, event))
        return [future.result() for future in futures]


def requests_served(instances: Instances, name: str) -> int:
    """POSTs of events in the instance's own access log (one JSON line per request)."""
    lines = (instances.platform.var_dir / f"{name}.log").read_text().splitlines()
    return sum(1 for line in lines if '"method": "POST"' in line and "/events" in line)


def test_events_through_every_instance_are_counted_once_and_boards_equal_the_ledger(
    instances: Instances,
) -> None:
    platform = instances.platform
    setup_members(platform)
    routes = Routes(instances)
    events = the_events()
    statuses = post_everything(routes, events)
    # One of each pair recorded the event (201), the other found it (200, a duplicate).
    assert statuses.count(201) == len(events), sorted(set(statuses))
    assert statuses.count(200) == len(events)
    # Once more, in batches through the balancer: every one a duplicate, nothing awarded.
    for start in range(0, len(events), 80):
        assert routes.through_nginx({"events": events[start : start + 80]}) == 200
    assert platform.event_count() == len(events) == 240
    assert platform.ledger_count() == len(events)  # one entry per quiz, none twice
    assert platform.ledger_totals() == {staff_no: EACH_MEMBER for staff_no in MEMBERS}
    assert platform.wait_boards_equal_ledger() == {m: EACH_MEMBER for m in MEMBERS}
    # Every instance took its share: both gateways, both points services, both workers alive.
    for name in (*instances.gateways, *instances.points):
        assert requests_served(instances, name) > 0, name
    for worker in instances.workers:
        assert platform.processes[worker].poll() is None, worker
