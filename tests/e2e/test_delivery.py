"""Outbound delivery on the real processes, through the gateway: a nudge to a webhook that
fails its first attempt is retried by the platform on its own (the ticker's sweep, run by the
worker) and arrives once by its delivery id; the log shows both attempts; a read key is refused
the subscriptions."""

from __future__ import annotations

from tests.harness import Platform, wait_until
from tests.receivers import http_receiver


def test_a_failed_delivery_is_retried_by_the_platform_itself(
    platform: Platform, admin_key: str, reader_key: str
) -> None:
    unit = {"code": "e2e-dlv", "name": "投递科"}
    assert platform.call("POST", "/api/v1/units", unit, key=admin_key).status == 201
    member = {"staff_no": "E2E-D1", "name": "冯一", "unit": "e2e-dlv"}
    assert platform.call("POST", "/api/v1/members", member, key=admin_key).status == 201
    with http_receiver(500) as receiver:
        hook = {"name": "hook", "kind": "webhook", "target": receiver.url, "events": ["nudge"],
                "unit": "e2e-dlv"}  # fmt: skip
        made = platform.call("POST", "/api/v1/subscriptions", hook, key=admin_key)
        assert made.status == 201, made.body
        sent = platform.call(
            "POST", "/api/v1/nudges", {"unit": "e2e-dlv", "days": 7}, key=admin_key
        )
        assert sent.status == 200 and sent.body["sent"] == [
            {"staff_no": "E2E-D1", "channel": "subscriptions"}
        ]
        wait_until(lambda: len(receiver.accepted) == 1, timeout=60, what="the retried delivery")
    assert len(receiver.arrivals) == 2
    assert len({a.headers["X-Delivery-Id"] for a in receiver.arrivals}) == 1
    query = f"/api/v1/deliveries?subscription={made.body['id']}"
    (item,) = platform.call("GET", query, key=admin_key).body["items"]
    assert item["state"] == "delivered" and [a["status_code"] for a in item["log"]] == [500, 200]
    assert platform.call("GET", "/api/v1/subscriptions", key=reader_key).status == 403
