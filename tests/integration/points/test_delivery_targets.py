"""Each kind of target gets what its documentation describes: WeCom's and DingTalk's group
robot JSON (DingTalk's signature in the query), an e-mail through a real SMTP server; a robot
that answers 200 with an error code is a failed attempt; bad input and other units' admins
are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from services.points.delivery.sweep import sweep_with
from services.settings import Settings
from tests.integration.points.reports import (
    NORTH,
    NORTH_ADMIN,
    ORG_ADMIN,
    person,
    rubric,
    submitted,
)
from tests.receivers import http_receiver, smtp_server

SOUTH_ADMIN = person("A002", "admin@south")


def subscribe(client: FlaskClient, who: dict[str, str] = ORG_ADMIN, **body: Any) -> Any:
    base = {"name": "Group", "events": ["report.returned"]}
    return client.post("/api/v1/subscriptions", json={**base, **body}, headers=who)


def return_one(client: FlaskClient) -> None:
    rubric(client)
    report = submitted(client)
    answer = client.post(
        f"/api/v1/reports/{report}/return", json={"comment": "更具体些"}, headers=NORTH[0]
    )
    assert answer.status_code == 200


def test_wecom_gets_its_markdown_message(org: FlaskClient, points_settings: Settings) -> None:
    with http_receiver() as robot:
        assert subscribe(org, kind="wecom", target=robot.url + "?key=k1").status_code == 201
        return_one(org)
        assert sweep_with(points_settings)["delivered"] == 1
    (arrival,) = robot.arrivals
    assert arrival.path == "/hook?key=k1"
    message = json.loads(arrival.body)
    assert list(message) == ["msgtype", "markdown"] and message["msgtype"] == "markdown"
    assert list(message["markdown"]) == ["content"]
    assert (
        "Li Na" in message["markdown"]["content"] and "更具体些" in message["markdown"]["content"]
    )


def test_dingtalk_text_is_signed_in_the_query(org: FlaskClient, points_settings: Settings) -> None:
    with http_receiver() as robot:
        made = subscribe(
            org, kind="dingtalk", target=robot.url + "?access_token=t1", secret="SEC123",
            text_format="text",
        )  # fmt: skip
        assert made.status_code == 201 and "secret" not in made.get_json()
        return_one(org)
        assert sweep_with(points_settings)["delivered"] == 1
    (arrival,) = robot.arrivals
    query = parse_qs(urlsplit(arrival.path).query)
    assert query["access_token"] == ["t1"]
    (stamp,) = query["timestamp"]
    digest = hmac.new(b"SEC123", f"{stamp}\nSEC123".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    message = json.loads(arrival.body)
    assert message["msgtype"] == "text" and list(message["text"]) == ["content"]
    assert "Li Na" in message["text"]["content"]


def test_a_robot_s_error_code_is_a_failed_attempt(
    org: FlaskClient, points_settings: Settings
) -> None:
    with http_receiver() as robot:
        robot.reply = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
        subscribe(org, kind="wecom", target=robot.url)
        return_one(org)
        assert sweep_with(points_settings)["failed_attempts"] == 1
    (item,) = org.get("/api/v1/deliveries").get_json()["items"]
    assert item["state"] == "pending" and item["log"][0]["status_code"] == 200
    assert item["log"][0]["error"].startswith("errcode 93000")


def test_an_email_subscription_gets_one_message(
    org: FlaskClient, points_settings: Settings
) -> None:
    with smtp_server() as mailbox:
        settings = points_settings.with_overrides(smtp_host="127.0.0.1", smtp_port=mailbox.port)
        assert subscribe(org, kind="email", target="hr@example.org").status_code == 201
        return_one(org)
        assert sweep_with(settings)["delivered"] == 1
        assert sweep_with(settings)["delivered"] == 0
    (message,) = mailbox.messages
    assert message["To"] == "hr@example.org" and message["From"] == settings.smtp_from
    (item,) = org.get("/api/v1/deliveries").get_json()["items"]
    assert message["Message-ID"] == f"<{item['delivery_id']}@learning-incentives>"
    assert "Li Na" in message.get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "webhook", "target": "not a url"}, "target"),
        ({"kind": "email", "target": "https://example.org/"}, "target"),
        ({"kind": "pigeon", "target": "https://example.org/"}, "kind"),
        ({"kind": "webhook", "target": "https://example.org/", "events": ["lunch"]}, "events"),
        ({"kind": "webhook", "target": "https://example.org/", "events": []}, "events"),
        ({"kind": "webhook", "target": "https://example.org/", "secret": "x"}, "secret"),
        ({"kind": "webhook", "target": "https://example.org/", "unit": "nowhere"}, "unit"),
        ({"kind": "webhook", "target": "https://example.org/", "paused": "yes"}, "paused"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    org: FlaskClient, body: dict[str, Any], field: str
) -> None:
    answer = subscribe(org, **body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"]["json"]


def test_a_unit_s_admin_keeps_to_their_units(org: FlaskClient) -> None:
    url = "https://example.org/hook"
    assert subscribe(org, NORTH_ADMIN, kind="webhook", target=url).status_code == 403  # org's
    north = subscribe(org, NORTH_ADMIN, kind="webhook", target=url, unit="north")
    assert north.status_code == 201
    ours = subscribe(org, kind="webhook", target=url)
    sid, org_sid = north.get_json()["id"], ours.get_json()["id"]
    listed = org.get("/api/v1/subscriptions", headers=NORTH_ADMIN).get_json()["items"]
    assert [s["id"] for s in listed] == [sid]
    assert org.get("/api/v1/subscriptions", headers=SOUTH_ADMIN).get_json()["items"] == []
    for method in ("get", "put", "delete"):
        call = getattr(org, method)
        kwargs = {"json": {"paused": True}} if method == "put" else {}
        assert (
            call(f"/api/v1/subscriptions/{sid}", headers=SOUTH_ADMIN, **kwargs).status_code == 403
        )
        assert (
            call(f"/api/v1/subscriptions/{org_sid}", headers=NORTH_ADMIN, **kwargs).status_code
            == 403
        )
    query = {"subscription": org_sid}
    assert org.get("/api/v1/deliveries", query_string=query, headers=NORTH_ADMIN).status_code == 403
    bad = org.put(f"/api/v1/subscriptions/{sid}", json={"target": "nope"}, headers=NORTH_ADMIN)
    assert bad.status_code == 422 and "target" in bad.get_json()["errors"]["json"]
    assert org.delete(f"/api/v1/subscriptions/{sid}", headers=NORTH_ADMIN).status_code == 204
    assert org.get(f"/api/v1/subscriptions/{sid}").status_code == 404
    assert org.get("/api/v1/deliveries", query_string={"state": "lost"}).status_code == 422
    assert org.post("/api/v1/deliveries/99/redeliver").status_code == 404


def test_a_unit_s_subscription_hears_of_its_members_only(
    org: FlaskClient, points_settings: Settings
) -> None:
    with http_receiver() as north, http_receiver() as south:
        ours = subscribe(org, kind="webhook", target=north.url, unit="north").get_json()
        subscribe(org, kind="webhook", target=south.url, unit="south")
        return_one(org)  # S001 is in north-ops, under north
        assert sweep_with(points_settings)["delivered"] == 1
    assert len(north.arrivals) == 1 and south.arrivals == []
    theirs = org.get("/api/v1/deliveries", headers=NORTH_ADMIN).get_json()
    assert [d["subscription"] for d in theirs["items"]] == [ours["id"]] and theirs["total"] == 1
    assert org.get("/api/v1/deliveries", headers=SOUTH_ADMIN).get_json()["total"] == 0
    assert org.get("/api/v1/deliveries", headers=ORG_ADMIN).get_json()["total"] == 1
