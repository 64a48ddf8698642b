"""Silent members and nudges on a real database: the silent list of a unit, a nudge e-mailed
once through a real SMTP server and not again within the cool-down, a nudge through the
member-kind subscriptions for a member with no address, the member's own opt-out, and the
refused paths. Units: north > north-ops, south; S001 (north-ops), S002 (south), S003 (south,
inactive); S004 joins north-ops and works on a report, so they are not silent."""

from __future__ import annotations

import io
import json
from typing import Any

from flask.testing import FlaskClient

from services.points.delivery.sweep import sweep_with
from services.settings import Settings
from tests.integration.points.reports import NORTH_ADMIN, ORG_ADMIN, draft, person
from tests.receivers import http_receiver, smtp_server

SOUTH_ADMIN = person("A002", "admin@south")
ROSTER = "工号,姓名,部门,邮箱\nS001,Li Na,north-ops,li@example.cn\n"


def with_busy_colleague(client: FlaskClient) -> None:
    files = {"file": (io.BytesIO(ROSTER.encode()), "roster.csv")}
    answer = client.post(
        "/api/v1/roster/import?dry_run=false", data=files, content_type="multipart/form-data"
    )
    assert answer.status_code == 200, answer.get_json()
    new = {"staff_no": "S004", "name": "Qian Duo", "unit": "north-ops"}
    assert client.post("/api/v1/members", json=new).status_code == 201
    draft(client, person("S004"))


def nudge(client: FlaskClient, who: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/nudges", json={"days": 7, **body}, headers=who)


def test_a_silent_member_is_e_mailed_once_within_the_cool_down(
    org: FlaskClient, points_settings: Settings
) -> None:
    with_busy_colleague(org)
    listed = org.get("/api/v1/analytics/silent?unit=north&days=7", headers=NORTH_ADMIN)
    assert listed.status_code == 200
    assert [(m["staff_no"], m["has_email"]) for m in listed.get_json()["items"]] == [("S001", True)]
    with smtp_server() as mailbox:
        settings = points_settings.with_overrides(smtp_host="127.0.0.1", smtp_port=mailbox.port)
        first = nudge(org, NORTH_ADMIN, unit="north").get_json()
        assert first == {
            "days": 7,
            "sent": [{"staff_no": "S001", "channel": "email"}],
            "skipped": [{"staff_no": "S004", "reason": "active"}],
            "leaders": [],  # no one in north is marked a leader
        }
        assert sweep_with(settings)["delivered"] == 1
        again = nudge(org, NORTH_ADMIN, staff_nos=["S001"]).get_json()
        assert again["sent"] == [] and again["skipped"] == [
            {"staff_no": "S001", "reason": "cooldown"}
        ]
        assert sweep_with(settings)["delivered"] == 0
    (message,) = mailbox.messages
    assert message["To"] == "li@example.cn"
    assert "Li Na" in message.get_payload(decode=True).decode()
    (row,) = org.get("/api/v1/analytics/silent?unit=north-ops&days=7").get_json()["items"]
    assert row["staff_no"] == "S001" and row["last_nudged_at"] is not None


def test_subscriptions_carry_a_nudge_and_the_opt_out_is_honoured(
    org: FlaskClient, points_settings: Settings
) -> None:
    assert nudge(org, SOUTH_ADMIN, unit="south").get_json()["skipped"] == [
        {"staff_no": "S002", "reason": "no_channel"}  # S003 is inactive: not listed
    ]
    me = person("S002")
    assert (
        org.put("/api/v1/members/S002/nudges", json={"opted_out": True}, headers=me).status_code
        == 200
    )
    assert org.get("/api/v1/members/S002/nudges", headers=me).get_json()["opted_out"] is True
    with http_receiver() as receiver:
        hook = {"name": "Robot", "kind": "webhook", "target": receiver.url, "events": ["nudge"]}
        made = org.post(
            "/api/v1/subscriptions", json={**hook, "unit": "south"}, headers=SOUTH_ADMIN
        )
        assert made.status_code == 201
        assert nudge(org, SOUTH_ADMIN, unit="south").get_json()["skipped"] == [
            {"staff_no": "S002", "reason": "opted_out"}
        ]
        back = org.put(
            "/api/v1/members/S002/nudges", json={"opted_out": False}, headers=SOUTH_ADMIN
        )
        assert back.get_json() == {"staff_no": "S002", "opted_out": False}
        sent = nudge(org, SOUTH_ADMIN, staff_nos=["S002", "S003"]).get_json()
        assert sent["sent"] == [{"staff_no": "S002", "channel": "subscriptions"}]
        assert sent["skipped"] == [{"staff_no": "S003", "reason": "inactive"}]
        assert sweep_with(points_settings)["delivered"] == 1
    (arrival,) = receiver.arrivals
    event = json.loads(arrival.body)
    assert event["kind"] == "nudge"
    assert event["data"] == {"member": "S002", "name": "Wang Wei", "unit": "south", "days": 7}


def test_the_leaders_over_a_nudged_member_get_a_summary_and_others_do_not(
    org: FlaskClient, points_settings: Settings
) -> None:
    roster = ROSTER + "L01,Zhao Lin,north,lead@example.cn\nL02,Sun Li,south,sun@example.cn\n"
    files = {"file": (io.BytesIO(roster.encode()), "roster.csv")}
    imported = org.post(
        "/api/v1/roster/import?dry_run=false", data=files, content_type="multipart/form-data"
    )
    assert imported.status_code == 200, imported.get_json()
    for leader in ("L01", "L02"):  # L01 leads north (over north-ops), L02 leads south
        assert org.put(f"/api/v1/members/{leader}/leader", headers=ORG_ADMIN).status_code == 200
    with smtp_server() as mailbox:
        settings = points_settings.with_overrides(smtp_host="127.0.0.1", smtp_port=mailbox.port)
        answer = nudge(org, NORTH_ADMIN, staff_nos=["S001"]).get_json()
        assert answer["sent"] == [{"staff_no": "S001", "channel": "email"}]
        assert answer["leaders"] == [{"staff_no": "L01", "channel": "email", "members": 1}]
        assert sweep_with(settings)["delivered"] == 2
    to_leader = [m for m in mailbox.messages if m["To"] == "lead@example.cn"]
    assert len(mailbox.messages) == 2 and len(to_leader) == 1
    assert "Li Na" in to_leader[0].get_payload(decode=True).decode()
    opted = org.put("/api/v1/members/L01/nudges", json={"opted_out": True}, headers=ORG_ADMIN)
    assert opted.status_code == 200
    fresh = {"staff_no": "S005", "name": "Zhou Xin", "unit": "north-ops"}
    assert org.post("/api/v1/members", json=fresh).status_code == 201
    assert nudge(org, NORTH_ADMIN, staff_nos=["S005"]).get_json()["leaders"] == []


def test_forbidden_paths_and_bad_input(org: FlaskClient) -> None:
    assert nudge(org, NORTH_ADMIN, unit="south").status_code == 403
    assert nudge(org, NORTH_ADMIN, staff_nos=["S002"]).status_code == 403
    assert org.get("/api/v1/analytics/silent?unit=south", headers=NORTH_ADMIN).status_code == 403
    assert org.get("/api/v1/analytics/silent", headers=person("S001")).status_code == 403
    other = org.put("/api/v1/members/S001/nudges", json={"opted_out": True}, headers=person("S002"))
    assert other.status_code == 403
    assert org.get("/api/v1/members/S002/nudges", headers=NORTH_ADMIN).status_code == 403
    for body, field in (
        ({"unit": "north", "staff_nos": ["S001"]}, "staff_nos"),
        ({}, "staff_nos"),
        ({"unit": "north", "days": 0}, "days"),
        ({"staff_nos": ["S999"]}, "staff_nos"),
        ({"unit": "nowhere"}, "unit"),
    ):
        answer = nudge(org, ORG_ADMIN, **body)
        assert answer.status_code == 422, (body, answer.get_json())
        assert field in answer.get_json()["errors"]["json"]
    bad = org.put("/api/v1/members/S001/nudges", json={"opted_out": "no"}, headers=person("S001"))
    assert bad.status_code == 422 and "opted_out" in bad.get_json()["errors"]["json"]
    assert org.get("/api/v1/analytics/silent?days=0").status_code == 422
    assert org.get("/api/v1/members/S999/nudges", headers=ORG_ADMIN).status_code == 404
