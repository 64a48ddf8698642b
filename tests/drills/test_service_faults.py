"""A service killed behind the gateway, a locked database, and fifty clients posting the same
event ids at once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.harness import Platform, quiz, wait_until

pytestmark = pytest.mark.drills


def test_a_killed_service_answers_503_json_while_the_rest_keeps_working(drill: Platform) -> None:
    members = drill.setup_org(4)
    drill.kill("points")
    started = time.monotonic()
    event = quiz("while-down", members[0])
    status, body, headers = drill.call("POST", "/api/v1/events", event, drill.sender_key)
    assert status == 503 and body["code"] == 503 and body["message"], body
    assert headers.get("Retry-After")
    assert time.monotonic() - started < drill.settings.upstream_timeout
    # The rest of the platform keeps working: boards, standings, rules.
    assert drill.call("GET", "/api/v1/leaderboard")[0] == 200
    assert drill.call("GET", f"/api/v1/members/{members[0]}/standing")[0] == 200
    assert drill.call("GET", "/api/v1/rulesets/active")[0] == 200
    drill.start("points")
    status, body, _ = drill.call("POST", "/api/v1/events", event, drill.sender_key)
    assert status == 201, body  # refused while down, so recorded now, once
    drill.wait_boards_equal_ledger()


def test_a_locked_database_gives_503_json_writes_nothing_and_recovers(drill: Platform) -> None:
    members = drill.setup_org(3)
    with drill.database_locked():
        # The points service waits out DB_LOCK_TIMEOUT (2 s here, below the gateway's upstream
        # timeout), rolls back and refuses: the answer through the gateway is its own 503.
        started = time.monotonic()
        status, body, headers = drill.call(
            "POST", "/api/v1/events", quiz("locked", members[0]), drill.sender_key, timeout=30
        )
        waited = time.monotonic() - started
    assert status == 503 and body["code"] == 503, body
    assert "database" in body["message"] and headers.get("Retry-After")
    assert 2 <= waited < drill.settings.upstream_timeout
    assert drill.ledger_count() == 0 and drill.event_count() == 0  # nothing half-written
    # Recovers by itself: the same event is now recorded once, as new.
    status, body, _ = drill.call(
        "POST", "/api/v1/events", quiz("locked", members[0]), drill.sender_key
    )
    assert status == 201 and body["duplicate"] is False, body
    drill.wait_boards_equal_ledger()


def test_fifty_clients_posting_overlapping_ids_award_each_once(drill: Platform) -> None:
    members = drill.setup_org(10)
    events = [quiz(f"dup-{i}", members[i % 10], 90) for i in range(40)]

    def client(n: int) -> list[int]:
        mine = [events[(n + k) % 40] for k in range(0, 40, 3)]  # overlapping subsets
        statuses = [drill.post_events(mine)[0]]
        statuses += [drill.call("POST", "/api/v1/events", e, drill.sender_key)[0] for e in mine[:3]]
        return statuses

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(client, range(50)))
    assert all(s in (200, 201) for statuses in results for s in statuses), results
    assert drill.ledger_count() == 40  # each id awarded once
    wait_until(lambda: drill.board_totals() == drill.ledger_totals(), 30, what="boards = ledger")
    drill.wait_boards_equal_ledger()
