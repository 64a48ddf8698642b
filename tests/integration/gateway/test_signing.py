"""The gateway signs every request it forwards, over HTTP and in its own process, so that the
services behind it can tell its requests from a stranger's; a signature a client brings along
is thrown away, never passed on."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from gateway.transport import Upstreams
from services.contracts import SIGNATURE_HEADER, VIEWER_HEADER
from services.settings import Settings
from tests.integration.gateway.conftest import bearer, echo_app, new_key

FORGED = "t=1,v1=" + "0" * 64


def assert_signed_by(upstreams: Upstreams, echoed: dict) -> None:
    query, headers = echoed["query"], echoed["headers"]
    assert headers[SIGNATURE_HEADER] != FORGED
    assert upstreams.signer.check(echoed["method"], echoed["path"], query, headers) is None


def test_a_forwarded_request_is_signed_and_a_client_signature_dropped(
    gateway: Flask,
) -> None:
    key = new_key(gateway, "dashboard", "read")
    headers = {**bearer(key), SIGNATURE_HEADER: FORGED, VIEWER_HEADER: "S001"}
    answer = gateway.test_client().get(
        "/api/v1/members/S%201/ledger?q=%22a%20b%22&limit=5", headers=headers
    )
    assert answer.status_code == 200, answer.json
    echoed = answer.json
    assert echoed["path"] == "/api/v1/members/S 1/ledger"
    assert echoed["headers"][VIEWER_HEADER] == "S001"  # passed on, and covered by the signature
    assert_signed_by(gateway.extensions["gateway.upstreams"], echoed)


@pytest.mark.parametrize("where", ["over HTTP", "in process"])
def test_both_paths_of_the_hop_sign_what_they_send(
    settings: Settings, echo_urls: dict[str, str], where: str
) -> None:
    local = {"points": echo_app("points")} if where == "in process" else {}
    upstreams = Upstreams(settings.with_overrides(service_urls=echo_urls), ("points",), local)
    sent = {"X-Sender": "hr-roster", "X-Scopes": "admin", SIGNATURE_HEADER: FORGED}
    for method, target, body in (
        ("GET", '/api/v1/units?name="Ops north"&n=%C3%A9', None),
        ("POST", "/api/v1/events", b'{"id": "e1"}'),
    ):
        answer = upstreams.send("points", method, target, body=body, headers=sent)
        echoed = json.loads(answer.data)
        assert echoed["headers"]["X-Scopes"] == "admin"
        assert_signed_by(upstreams, echoed)
