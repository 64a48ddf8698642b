"""What a signed-in person may do through the gateway: roles granted and taken away by admins
only, a member's own data only, the viewer and sender set by the gateway whatever the client
sends, and accounts only for members the points service knows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from tests.integration.gateway.conftest import GatewayFactory, new_key
from tests.integration.gateway.people import admin_token, bearer, member
from tests.support import serving


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis) -> Flask:
    return make_gateway(echo_urls)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> str:
    return admin_token(app, client)


def test_staff_read_their_own_ledger_profile_and_history_and_not_anothers(
    client: FlaskClient, admin: str
) -> None:
    staff = bearer(member(client, admin, "S001"))
    for part in ("ledger", "profile", "history"):
        own = client.get(f"/api/v1/members/S001/{part}", headers=staff)
        assert own.status_code == 200 and own.json["path"] == f"/api/v1/members/S001/{part}"
        other = client.get(f"/api/v1/members/S002/{part}", headers=staff)
        assert other.status_code == 403 and "S002" in other.json["message"]
    assert client.get("/api/v1/leaderboard", headers=staff).status_code == 200  # boards stay open
    assert client.get("/api/v1/members/S002/standing", headers=staff).status_code == 200


def test_reviewers_and_admins_read_any_members_ledger(client: FlaskClient, admin: str) -> None:
    reviewer = bearer(member(client, admin, "R001", "reviewer"))
    assert client.get("/api/v1/members/S002/ledger", headers=reviewer).status_code == 200
    assert client.get("/api/v1/members/S002/ledger", headers=bearer(admin)).status_code == 200


def test_the_gateway_sets_viewer_sender_and_scopes_for_a_person_whatever_the_client_sent(
    client: FlaskClient, admin: str
) -> None:
    forged = {"X-Viewer": "S002", "X-Sender": "hr-sync", "X-Scopes": "admin"}
    staff = {**bearer(member(client, admin, "S001")), **forged}
    seen = client.get("/api/v1/leaderboard", headers=staff).json["headers"]
    assert (seen["X-Viewer"], seen["X-Sender"], seen["X-Scopes"]) == ("S001", "member:S001", "read")


def test_people_post_no_events_and_staff_do_no_admin_work(client: FlaskClient, admin: str) -> None:
    staff = bearer(member(client, admin, "S001"))
    event = {"type": "quiz", "member": "S001", "event_id": "e1"}
    assert client.post("/api/v1/events", json=event, headers=staff).status_code == 403
    assert client.post("/api/v1/events", json=event, headers=bearer(admin)).status_code == 403
    assert client.post("/api/v1/units", json={}, headers=staff).status_code == 403
    assert client.post("/api/v1/units", json={}, headers=bearer(admin)).status_code == 200


def test_admins_grant_and_take_away_roles_and_nobody_else_can(
    app: Flask, client: FlaskClient, admin: str
) -> None:
    staff = bearer(member(client, admin, "S001"))
    path = "/api/v1/auth/accounts/S001/roles"
    for who in (staff, bearer(new_key(app, "reader", "read"))):
        refused = client.post(path, json={"role": "admin"}, headers=who)
        assert refused.status_code == 403
        assert client.get("/api/v1/auth/accounts", headers=who).status_code == 403
    assert client.post(path, json={"role": "admin"}).status_code == 401
    granted = client.post(path, json={"role": "admin", "unit": "north"}, headers=bearer(admin))
    assert granted.status_code == 200
    assert {"role": "admin", "unit": "north"} in granted.json["roles"]
    # An admin of a subtree reads, and manages no accounts (nor anything org-wide); members
    # and units reach the points service, which keeps them to their units (X-Roles, signed).
    assert client.get("/api/v1/members/S002/ledger", headers=staff).status_code == 200
    forged = {**staff, "X-Roles": "admin", "X-Scopes": "admin"}
    sent = client.post("/api/v1/units", json={}, headers=forged)
    assert sent.status_code == 200 and sent.json["headers"]["X-Roles"] == "admin@north staff"
    assert sent.json["headers"]["X-Scopes"] == "read"
    assert client.put("/api/v1/leaderboard/settings", json={}, headers=staff).status_code == 403
    assert client.post("/api/v1/rulesets", json={}, headers=staff).status_code == 403
    assert client.get("/api/v1/auth/accounts", headers=staff).status_code == 403
    taken = client.delete(f"{path}/admin?unit=north", headers=bearer(admin))
    assert taken.status_code == 200 and taken.json["roles"] == [{"role": "staff", "unit": ""}]
    assert client.get("/api/v1/members/S002/ledger", headers=staff).status_code == 403
    again = client.delete(f"{path}/admin?unit=north", headers=bearer(admin))
    assert again.status_code == 404
    unknown = client.post(path, json={"role": "system"}, headers=bearer(admin))
    assert unknown.status_code == 422
    by_key = client.post(
        path, json={"role": "reviewer"}, headers=bearer(new_key(app, "ops", "admin"))
    )
    assert by_key.status_code == 200
    listed = client.get("/api/v1/auth/accounts", headers=bearer(admin)).json["items"]
    assert [a["staff_no"] for a in listed] == ["A001", "S001"]


@pytest.fixture
def with_points(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], org: FlaskClient, points_app: Flask
) -> Iterator[Flask]:
    with serving(points_app) as points:
        yield make_gateway({**echo_urls, "points": points})


def test_an_account_is_only_for_a_member_the_points_service_knows(with_points: Flask) -> None:
    client = with_points.test_client()
    admin = bearer(admin_token(with_points, client))
    made = client.post("/api/v1/auth/accounts", json={"staff_no": "S001"}, headers=admin)
    assert made.status_code == 201 and made.json["one_time_password"]
    again = client.post("/api/v1/auth/accounts", json={"staff_no": "S001"}, headers=admin)
    assert again.status_code == 409
    unknown = client.post("/api/v1/auth/accounts", json={"staff_no": "S999"}, headers=admin)
    assert unknown.status_code == 422 and "S999" in unknown.json["message"]


def test_me_keeps_the_profile_when_the_leaderboard_is_down(
    make_gateway: GatewayFactory,
    echo_urls: dict[str, str],
    dead_urls: dict[str, str],
    org: FlaskClient,
    points_app: Flask,
) -> None:
    with serving(points_app) as points:
        app = make_gateway({**echo_urls, "points": points, "leaderboard": dead_urls["leaderboard"]})
        client = app.test_client()
        staff = bearer(member(client, admin_token(app, client), "S001"))
        mine = client.get("/api/v1/me", headers=staff)
        assert mine.status_code == 200, mine.json
        assert mine.json["profile"]["member"] == "S001" and mine.json["name"] == "Li Na"
        assert mine.json["standings"] is None and mine.json["catch_up"] is None
        assert mine.json["unavailable"] == ["leaderboard"]
        # The echo upstream answers 200 with something else: a broken answer, not a 500.
        echoed = make_gateway({**echo_urls, "points": points}).test_client()
        broken = echoed.get("/api/v1/me", headers=staff)
        assert broken.status_code == 502 and broken.json["code"] == 502
    gone = app.test_client().get("/api/v1/me", headers=staff)  # the points service is down
    assert gone.status_code in (502, 503) and gone.json["code"] == gone.status_code
