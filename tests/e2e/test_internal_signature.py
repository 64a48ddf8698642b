"""Nothing behind the gateway trusts a stranger, with the real processes of `make run`: a
direct call to a service, with no signature, with forged identity headers or with a guessed
secret, is refused; the same request through the gateway works. The processes share the
secret that the first of them made under VAR_DIR."""

from __future__ import annotations

from typing import Any

import pytest
import urllib3

from services.common.signing import Signer
from services.contracts import (
    SCOPES_HEADER,
    SENDER_HEADER,
    SIGNATURE_HEADER,
    SIGNED_HEADERS,
    internal_signer,
)
from tests.harness import Platform
from tests.support import signed_call

# A read of each service that the gateway routes (a read key may make it there).
READS = {
    "points": "/api/v1/units",
    "rewards": "/api/v1/rulesets",
    "leaderboard": "/api/v1/leaderboard/settings",
}
FORGED = {SENDER_HEADER: "hr-roster", SCOPES_HEADER: "admin"}


@pytest.fixture(scope="module")
def http() -> urllib3.PoolManager:
    return urllib3.PoolManager(retries=False)


def direct(platform: Platform, service: str) -> str:
    return f"http://127.0.0.1:{platform.settings.ports[service]}"


def raw(
    http: urllib3.PoolManager, url: str, method: str = "GET", body: Any = None, **headers: str
) -> urllib3.BaseHTTPResponse:
    return http.request(method, url, body=body, headers=headers, timeout=30)


def assert_refused(answer: urllib3.BaseHTTPResponse) -> None:
    assert answer.status == 401, answer.data
    body = answer.json()
    assert body["code"] == 401 and body["status"] == "Unauthorized", body
    assert "signed" in body["message"]


@pytest.mark.parametrize("service", sorted(READS))
def test_a_direct_call_without_the_signature_is_refused(
    platform: Platform, http: urllib3.PoolManager, service: str
) -> None:
    url = direct(platform, service) + READS[service]
    assert_refused(raw(http, url))
    assert_refused(raw(http, url, **FORGED))
    status, _, _ = platform.call("GET", READS[service], key=platform.reader_key)
    assert status == 200  # the same request through the gateway


@pytest.mark.parametrize("service", sorted(READS))
def test_forged_identity_or_a_guessed_secret_is_refused(
    platform: Platform, http: urllib3.PoolManager, service: str
) -> None:
    base, path = direct(platform, service), READS[service]
    signer = internal_signer(platform.settings)
    signed = signer.signed("GET", path, {SENDER_HEADER: "dashboard", SCOPES_HEADER: "read"})
    assert_refused(raw(http, base + path, **{**signed, **FORGED}))
    guess = Signer(b"guessed", SIGNATURE_HEADER, SIGNED_HEADERS).signed("GET", path, FORGED)
    assert_refused(raw(http, base + path, **guess))
    # Signed with the platform's own secret (the file under VAR_DIR), the call is answered.
    assert signed_call(http, signer, base, "GET", path, **FORGED)[0] == 200


def test_a_forged_admin_write_straight_to_points_changes_nothing(
    platform: Platform, http: urllib3.PoolManager
) -> None:
    base = direct(platform, "points")
    path = "/api/v1/units"
    body = b'{"code": "forged-unit", "name": "Forged"}'
    headers = {"Content-Type": "application/json", **FORGED}
    assert_refused(raw(http, base + path, "POST", body, **headers))
    assert_refused(raw(http, base + "/internal/v1/outbox?limit=1", **FORGED))
    status, units, _ = platform.call("GET", path)
    assert status == 200 and "forged-unit" not in {unit["code"] for unit in units}


def test_liveness_stays_open_and_the_secret_file_is_private(
    platform: Platform, http: urllib3.PoolManager
) -> None:
    for service in READS:
        assert raw(http, direct(platform, service) + "/healthz").status == 200
    secret = platform.var_dir / "internal.secret"
    assert secret.stat().st_mode & 0o777 == 0o600
