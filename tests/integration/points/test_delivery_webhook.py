"""A webhook subscription receives a returned practice report over real HTTP: signed, retried
after a failed first attempt with back-off, and arriving once by its delivery id; the log shows
each attempt; redelivery sends the same id again."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from services.common.db import utcnow
from services.points.delivery.sweep import sweep_with
from services.settings import Settings
from tests.integration.points.reports import NORTH, ORG_ADMIN, TOP, rubric, scored, submitted
from tests.receivers import http_receiver

RETURN = {"comment": "Say what changed at the counter."}


def subscribe(client: FlaskClient, url: str, **changes: Any) -> dict[str, Any]:
    body = {"name": "HR system", "kind": "webhook", "target": url, "events": ["report.returned"]}
    answer = client.post("/api/v1/subscriptions", json={**body, **changes}, headers=ORG_ADMIN)
    assert answer.status_code == 201, answer.get_json()
    return dict(answer.get_json())


def returned_report(client: FlaskClient) -> int:
    rubric(client)
    report = submitted(client)
    answer = client.post(f"/api/v1/reports/{report}/return", json=RETURN, headers=NORTH[0])
    assert answer.status_code == 200, answer.get_json()
    return report


def test_a_webhook_is_signed_retried_and_arrives_once(
    org: FlaskClient, points_settings: Settings
) -> None:
    settings = points_settings.with_overrides(delivery_backoff_seconds=60, delivery_attempts=3)
    with http_receiver(500) as receiver:
        made = subscribe(org, receiver.url)
        secret = made["secret"]
        assert len(secret) >= 32 and made["signed"] is True
        assert "secret" not in org.get(f"/api/v1/subscriptions/{made['id']}").get_json()
        report = returned_report(org)
        now = utcnow()
        assert sweep_with(settings, now) == {"status": "ok", "delivered": 0, "failed_attempts": 1}
        # Not yet due again: the back-off is 60 s after the first failure.
        assert sweep_with(settings, now + timedelta(seconds=59))["failed_attempts"] == 0
        assert sweep_with(settings, now + timedelta(seconds=61))["delivered"] == 1
        assert sweep_with(settings, now + timedelta(hours=1))["delivered"] == 0  # nothing left
    first, second = receiver.arrivals
    assert first.headers["X-Delivery-Id"] == second.headers["X-Delivery-Id"]
    assert first.body == second.body
    assert list(receiver.accepted) == [first.headers["X-Delivery-Id"]]
    stamp = second.headers["X-Delivery-Timestamp"]
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + second.body, hashlib.sha256)
    assert second.headers["X-Delivery-Signature"] == "sha256=" + expected.hexdigest()
    event = json.loads(second.body)
    assert event["id"] == first.headers["X-Delivery-Id"] and event["kind"] == "report.returned"
    assert event["data"] == {
        "member": "S001",
        "name": "Li Na",
        "unit": "north-ops",
        "report": report,
        "title": "Filing appeals in one visit",
        "comment": RETURN["comment"],
    }
    log = org.get("/api/v1/deliveries", query_string={"state": "delivered"}).get_json()
    assert log["total"] == 1
    (item,) = log["items"]
    assert item["delivery_id"] == event["id"] and item["attempts"] == 2
    assert [a["status_code"] for a in item["log"]] == [500, 200]
    assert item["log"][0]["error"].startswith("HTTP 500")


def test_attempts_run_out_then_a_redelivery_sends_the_same_id(
    org: FlaskClient, points_settings: Settings
) -> None:
    settings = points_settings.with_overrides(delivery_backoff_seconds=0, delivery_attempts=2)
    with http_receiver(503, 503, 200) as receiver:
        made = subscribe(org, receiver.url)
        returned_report(org)
        sweep_with(settings)
        sweep_with(settings)
        (failed,) = org.get("/api/v1/deliveries", query_string={"state": "failed"}).get_json()[
            "items"
        ]
        assert failed["attempts"] == 2 and failed["subscription"] == made["id"]
        assert sweep_with(settings)["failed_attempts"] == 0  # failed: no more attempts
        again = org.post(f"/api/v1/deliveries/{failed['id']}/redeliver", headers=ORG_ADMIN)
        assert again.status_code == 200 and again.get_json()["state"] == "pending"
        assert sweep_with(settings)["delivered"] == 1
    ids = {a.headers["X-Delivery-Id"] for a in receiver.arrivals}
    assert ids == {failed["delivery_id"]} and len(receiver.arrivals) == 3
    done = org.get("/api/v1/deliveries", query_string={"subscription": made["id"]}).get_json()
    assert [len(d["log"]) for d in done["items"]] == [3] and done["items"][0][
        "state"
    ] == "delivered"


def test_a_paused_subscription_waits_and_other_kinds_are_not_sent(
    org: FlaskClient, points_settings: Settings
) -> None:
    with http_receiver() as receiver:
        made = subscribe(org, receiver.url, paused=True)
        unrelated = subscribe(org, receiver.url, events=["badge.earned"])
        returned_report(org)
        assert sweep_with(points_settings)["delivered"] == 0
        resumed = org.put(
            f"/api/v1/subscriptions/{made['id']}", json={"paused": False}, headers=ORG_ADMIN
        )
        assert resumed.status_code == 200 and resumed.get_json()["paused"] is False
        assert sweep_with(points_settings)["delivered"] == 1
    assert len(receiver.arrivals) == 1
    mine = org.get("/api/v1/deliveries", query_string={"subscription": unrelated["id"]})
    assert mine.get_json()["total"] == 0


def test_an_approved_report_carries_its_rating(org: FlaskClient, points_settings: Settings) -> None:
    with http_receiver() as receiver:
        subscribe(org, receiver.url, events=["report.approved", "report.returned"])
        rubric(org)
        report = submitted(org)
        done = scored(org, report, NORTH[0], TOP)  # 100: rated A by the one reviewer
        assert done["state"] == "approved"
        assert sweep_with(points_settings)["delivered"] == 1
    (arrival,) = receiver.arrivals
    event = json.loads(arrival.body)
    assert event["kind"] == "report.approved"
    assert (event["data"]["report"], event["data"]["rating"]) == (report, "A")


def test_two_sweeps_at_once_send_a_delivery_once(
    org: FlaskClient, points_settings: Settings
) -> None:
    import threading

    with http_receiver() as receiver:
        subscribe(org, receiver.url)
        for _ in range(3):
            returned_report(org)
        results: list[dict[str, Any]] = []
        sweeps = [
            threading.Thread(target=lambda: results.append(sweep_with(points_settings)))
            for _ in range(2)
        ]
        for sweep in sweeps:
            sweep.start()
        for sweep in sweeps:
            sweep.join()
    assert sum(r["delivered"] for r in results) == 3  # the lease gave each to one sweep
    ids = [a.headers["X-Delivery-Id"] for a in receiver.arrivals]
    assert len(ids) == 3 and len(set(ids)) == 3
