"""With no proxy trusted (TRUSTED_PROXIES=0, the default), no layer believes a client's own
forwarded headers: not the gateway, and not gunicorn, which by default believes
X-Forwarded-Proto from any loopback client (deploy/gunicorn.conf.py turns that off)."""

from __future__ import annotations

import pytest

from tests.harness import Platform

pytestmark = pytest.mark.e2e


def test_a_client_claiming_https_gets_no_secure_cookie_over_plain_http(platform: Platform) -> None:
    claims = {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on", "X-Forwarded-For": "1.2.3.4"}
    answer = platform.http.request("GET", platform.base_url + "/signin", headers=claims)
    assert answer.status == 200
    (cookie,) = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith("li_signin=")]
    assert "secure" not in [part.strip().lower() for part in cookie.split(";")]
