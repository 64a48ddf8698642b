"""A browser's session at the gateway: the ``li_session`` cookie, its flags, its CSRF token, and
sign-out and expiry, on a real database and a real Redis (the services are echo upstreams)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from werkzeug.test import TestResponse

from tests.harness.waiting import wait_until
from tests.integration.gateway.conftest import GatewayFactory, new_key
from tests.integration.gateway.people import (
    PASSWORD,
    admin_token,
    bearer,
    create_admin,
    member,
    sign_in,
)

SESSION = "/api/v1/auth/session"
REFUSED = "The CSRF token is missing or invalid."


@pytest.fixture
def app(make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis) -> Flask:
    return make_gateway(echo_urls, signin_account_failures=3)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    # No cookie jar: each request names the cookie it sends, so none is sent by accident.
    return app.test_client(use_cookies=False)


def start(client: FlaskClient, staff_no: str, password: str = PASSWORD, **kw: Any) -> TestResponse:
    return client.post(SESSION, json={"staff_no": staff_no, "password": password}, **kw)


def set_cookie(answer: TestResponse) -> Any:
    """The response's li_session cookie, parsed (its flags are attributes)."""
    (header,) = [h for h in answer.headers.getlist("Set-Cookie") if h.startswith("li_session=")]
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return jar["li_session"]


def signed_in(client: FlaskClient, staff_no: str, password: str = PASSWORD) -> tuple[str, str]:
    """A session: the cookie's token and its CSRF token."""
    answer = start(client, staff_no, password)
    assert answer.status_code == 200, answer.json
    return set_cookie(answer).value, answer.json["csrf_token"]


def cookie(token: str, csrf: str | None = None) -> dict[str, str]:
    headers = {"Cookie": f"li_session={token}"}
    return headers | ({"X-CSRF-Token": csrf} if csrf is not None else {})


def test_signing_in_sets_the_cookie_and_answers_the_session(
    app: Flask, client: FlaskClient
) -> None:
    admin = admin_token(app, client)
    answer = start(client, "A001")
    assert answer.status_code == 200, answer.json
    made = set_cookie(answer)
    assert made.value.startswith("lt_") and made["path"] == "/"
    assert made["httponly"] and made["samesite"] == "Lax" and not made["secure"]
    assert made["max-age"] == str(8 * 3600)
    body = answer.json
    assert set(body) == {"staff_no", "roles", "must_change_password", "csrf_token", "expires_at"}
    assert body["staff_no"] == "A001" and {"role": "admin", "unit": ""} in body["roles"]
    assert body["must_change_password"] is False and answer.headers["Cache-Control"] == "no-store"
    now = client.get(SESSION, headers=cookie(made.value))
    assert now.status_code == 200 and now.json["expires_at"] == body["expires_at"]
    assert now.json["csrf_token"] and now.json["staff_no"] == "A001"
    assert client.get(SESSION).status_code == 401
    # The same audit as a sign-in with tokens.
    audit = client.get("/api/v1/auth/audit?subject=A001", headers=bearer(admin)).json["items"]
    assert (audit[0]["action"], audit[0]["outcome"]) == ("sign-in", "ok")


def test_a_wrong_password_is_401_and_counts_with_the_other_sign_ins(
    app: Flask, client: FlaskClient
) -> None:
    first = create_admin(app)
    for attempt in (sign_in_raw(client), sign_in_raw(client), start(client, "A001", "wrong")):
        assert attempt.status_code == 401 and "Set-Cookie" not in attempt.headers
    throttled = start(client, "A001", first)  # one throttle for both ways of signing in
    assert throttled.status_code == 429 and "Set-Cookie" not in throttled.headers


def sign_in_raw(client: FlaskClient) -> TestResponse:
    return client.post("/api/v1/auth/sign-in", json={"staff_no": "A001", "password": "wrong"})


def test_only_json_signs_in_so_no_form_of_another_site_can(app: Flask, client: FlaskClient) -> None:
    admin_token(app, client)
    form = client.post(SESSION, data={"staff_no": "A001", "password": PASSWORD})
    text = client.post(
        SESSION, data=f'{{"staff_no": "A001", "password": "{PASSWORD}"}}', content_type="text/plain"
    )
    for answer in (form, text):
        assert answer.status_code == 422 and "Set-Cookie" not in answer.headers


def test_the_cookie_alone_reads_through_the_proxy_and_stays_at_the_gateway(
    app: Flask, client: FlaskClient
) -> None:
    admin = admin_token(app, client)
    member(client, admin, "S1")
    token, csrf = signed_in(client, "S1")
    own = client.get("/api/v1/members/S1/profile", headers=cookie(token, csrf))
    assert own.status_code == 200 and own.json["service"] == "points"
    assert "Cookie" in own.headers["Vary"]  # an answer for this cookie only
    sent = own.json["headers"]
    assert sent["X-Sender"] == "member:S1" and sent["X-Viewer"] == "S1"
    assert not {"Cookie", "X-Csrf-Token", "Authorization"} & set(sent)
    other = client.get("/api/v1/members/S2/profile", headers=cookie(token))
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/units"),
        ("PUT", "/api/v1/leaderboard/settings"),
        ("PATCH", "/api/v1/units/north"),
        ("DELETE", "/api/v1/leaderboard/groups/g1"),
    ],
)
def test_an_unsafe_request_with_the_cookie_needs_its_own_csrf_token(
    app: Flask, client: FlaskClient, method: str, path: str
) -> None:
    admin_token(app, client)
    token, csrf = signed_in(client, "A001")
    other_token, other_csrf = signed_in(client, "A001")  # a second sign-in of the same person
    for headers in (cookie(token), cookie(token, "garbage"), cookie(token, other_csrf)):
        refused = client.open(path, method=method, json={}, headers=headers)
        assert refused.status_code == 403 and refused.json["message"] == REFUSED
        assert "service" not in refused.json  # it never reached the service
    allowed = client.open(path, method=method, json={}, headers=cookie(token, csrf))
    assert allowed.status_code == 200 and allowed.json["method"] == method
    theirs = client.open(path, method=method, json={}, headers=cookie(other_token, other_csrf))
    assert theirs.status_code == 200


def test_a_refused_unsafe_request_changes_nothing(app: Flask, client: FlaskClient) -> None:
    admin_token(app, client)
    token, csrf = signed_in(client, "A001")
    change = {"old_password": PASSWORD, "new_password": "another long secret"}
    refused = client.post("/api/v1/auth/password", json=change, headers=cookie(token))
    assert refused.status_code == 403 and refused.json["message"] == REFUSED
    made = client.post("/api/v1/auth/accounts", json={"staff_no": "S9"}, headers=cookie(token))
    assert made.status_code == 403 and made.json["message"] == REFUSED
    listed = client.get("/api/v1/auth/accounts", headers=cookie(token)).json["items"]
    assert [a["staff_no"] for a in listed] == ["A001"]
    assert client.get(SESSION, headers=cookie(token)).status_code == 200  # password unchanged
    assert start(client, "A001", PASSWORD).status_code == 200

    changed = client.post("/api/v1/auth/password", json=change, headers=cookie(token, csrf))
    assert changed.status_code == 204
    assert client.get(SESSION, headers=cookie(token)).status_code == 401  # it ended every sign-in
    assert start(client, "A001", "another long secret").status_code == 200


def test_requests_with_an_authorization_header_need_no_csrf_token(
    app: Flask, client: FlaskClient
) -> None:
    access = admin_token(app, client)
    key = new_key(app, "terminal", "admin")
    token, _ = signed_in(client, "A001")
    for headers in (bearer(access), bearer(key), {**cookie(token), **bearer(access)}):
        answer = client.post("/api/v1/units", json={}, headers=headers)
        assert answer.status_code == 200 and answer.json["service"] == "points"
    # The header wins over the cookie, even when it is bad: it is never passed over.
    bad = client.get("/api/v1/units", headers={**cookie(token), "Authorization": ""})
    assert bad.status_code == 401


def test_signing_out_revokes_the_session_and_clears_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    admin_token(app, client)
    token, csrf = signed_in(client, "A001")
    kept, _ = signed_in(client, "A001")
    refused = client.delete(SESSION, headers=cookie(token))
    assert refused.status_code == 403 and refused.json["message"] == REFUSED
    assert client.get("/api/v1/units", headers=cookie(token)).status_code == 200
    out = client.delete(SESSION, headers=cookie(token, csrf))
    assert out.status_code == 204
    cleared = set_cookie(out)
    assert cleared.value == "" and cleared["max-age"] == "0" and cleared["httponly"]
    for path in ("/api/v1/units", SESSION):
        gone = client.get(path, headers=cookie(token))
        assert gone.status_code == 401 and "revoked" in gone.json["message"]
    assert client.delete(SESSION, headers=cookie(token, csrf)).status_code == 401
    assert client.get("/api/v1/units", headers=cookie(kept)).status_code == 200  # another lives


def test_an_expired_session_is_401(
    make_gateway: GatewayFactory, echo_urls: dict[str, str], redis: Redis
) -> None:
    app = make_gateway(echo_urls, session_seconds=1)
    client = app.test_client(use_cookies=False)
    admin_token(app, client)
    token, _ = signed_in(client, "A001")
    assert wait_until(lambda: client.get("/api/v1/units", headers=cookie(token)).status_code == 401)
    answer = client.get(SESSION, headers=cookie(token))
    assert answer.status_code == 401 and "expired" in answer.json["message"]


def test_only_a_persons_access_token_is_taken_from_the_cookie(
    app: Flask, client: FlaskClient
) -> None:
    admin_token(app, client)
    key = new_key(app, "reader", "read")
    refresh = sign_in(client, "A001")["refresh_token"]
    for wrong in (key, refresh, "lt_nonsense"):
        for path in ("/api/v1/units", SESSION):
            refused = client.get(path, headers=cookie(wrong))
            assert refused.status_code == 401, (wrong, path)
        assert client.post("/api/v1/units", json={}, headers=cookie(wrong, "x")).status_code == 401
    assert client.get("/api/v1/units", headers=cookie(key)).json["message"] == (
        "The session cookie holds a person's sign-in only."
    )
    assert client.get("/api/v1/units", headers=bearer(key)).status_code == 200


def test_a_one_time_password_opens_nothing_but_changing_it(app: Flask, client: FlaskClient) -> None:
    first = create_admin(app)
    answer = start(client, "A001", first)
    assert answer.status_code == 200 and answer.json["must_change_password"] is True
    token, csrf = set_cookie(answer).value, answer.json["csrf_token"]
    refused = client.get("/api/v1/units", headers=cookie(token))
    assert refused.status_code == 403 and "Change your password" in refused.json["message"]
    change = {"old_password": first, "new_password": PASSWORD}
    assert (
        client.post("/api/v1/auth/password", json=change, headers=cookie(token, csrf)).status_code
        == 204
    )


@pytest.mark.parametrize(
    ("setting", "base_url", "headers", "secure"),
    [
        ("auto", "http://localhost", {}, False),
        ("auto", "https://localhost", {}, True),
        ("auto", "http://localhost", {"X-Forwarded-Proto": "https"}, False),  # not believed
        ("true", "http://localhost", {}, True),
        ("false", "https://localhost", {}, False),
    ],
)
def test_the_secure_flag_follows_session_cookie_secure(
    make_gateway: GatewayFactory,
    echo_urls: dict[str, str],
    redis: Redis,
    setting: str,
    base_url: str,
    headers: dict[str, str],
    secure: bool,
) -> None:
    app = make_gateway(echo_urls, session_cookie_secure=setting)
    client = app.test_client(use_cookies=False)
    admin_token(app, client)
    answer = start(client, "A001", base_url=base_url, headers=headers)
    assert bool(set_cookie(answer)["secure"]) is secure
    token, csrf = set_cookie(answer).value, answer.json["csrf_token"]
    out = client.delete(SESSION, base_url=base_url, headers={**headers, **cookie(token, csrf)})
    assert out.status_code == 204 and bool(set_cookie(out)["secure"]) is secure
