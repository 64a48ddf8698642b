"""The internal hop's signature: what it covers, what breaks it, and the secret's file."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from services.common.signing import (
    SKEW_SECONDS,
    Signer,
    load_or_create_secret,
    request_parts,
    signature,
    verify,
    wire_target,
)
from services.contracts import SIGNATURE_HEADER, SIGNED_HEADERS

SECRET = b"a-secret-of-the-platform"
SIGNER = Signer(SECRET, SIGNATURE_HEADER, SIGNED_HEADERS)
IDENTITY = {
    "X-Sender": "member:S002",
    "X-Scopes": "read",
    "X-Viewer": "S002",
    "X-Roles": "reviewer@north staff",
    "X-Request-Id": "r1",
    "X-Key-Event-Types": "attendance quiz",  # a key's limits: widening them must break it too
    "X-Key-Units": "north",
}
REQUEST = ("GET", "/api/v1/members/S001/ledger", "limit=10")


def signed_headers(**changes: str) -> dict[str, str]:
    headers = SIGNER.signed(REQUEST[0], REQUEST[1] + "?" + REQUEST[2], IDENTITY)
    headers.update(changes)
    return headers


def check(method: str, path: str, query: str, headers: dict[str, str]) -> str | None:
    return SIGNER.check(method, path, query, headers)


def test_a_signed_request_passes() -> None:
    assert check(*REQUEST, signed_headers()) is None


@pytest.mark.parametrize(
    ("request_", "why"),
    [
        (("POST", REQUEST[1], REQUEST[2]), "method"),
        (("GET", "/api/v1/members/S002/ledger", REQUEST[2]), "path"),
        (("GET", REQUEST[1], "limit=10000"), "query"),
        (("GET", REQUEST[1], ""), "query dropped"),
    ],
)
def test_another_method_path_or_query_breaks_it(request_: tuple[str, str, str], why: str) -> None:
    assert check(*request_, signed_headers()) == "a signature that does not match", why


@pytest.mark.parametrize("header", SIGNED_HEADERS)
def test_each_identity_header_changed_dropped_or_added_breaks_it(header: str) -> None:
    assert check(*REQUEST, signed_headers(**{header: "admin"})) is not None
    dropped = {k: v for k, v in signed_headers().items() if k != header}
    assert check(*REQUEST, dropped) is not None
    bare = SIGNER.signed(REQUEST[0], REQUEST[1] + "?" + REQUEST[2], {})
    assert check(*REQUEST, {**bare, header: "admin"}) is not None


def test_identity_headers_are_matched_whatever_their_case() -> None:
    lowered = {k.lower(): v for k, v in signed_headers().items()}
    assert SIGNER.values(lowered) == list(IDENTITY.values())


def test_the_scopes_header_forged_to_admin_is_refused() -> None:
    assert check(*REQUEST, signed_headers(**{"X-Scopes": "admin"})) is not None


@pytest.mark.parametrize("offset", [-(SKEW_SECONDS + 1), SKEW_SECONDS + 1, -86400, 86400])
def test_a_timestamp_outside_the_skew_is_refused(offset: int) -> None:
    stamp = int(time.time()) + offset
    value = signature(SECRET, *REQUEST, stamp, list(IDENTITY.values()))
    assert verify(SECRET, value, REQUEST, list(IDENTITY.values())) == "an expired signature"


def test_a_timestamp_within_the_skew_passes() -> None:
    stamp = int(time.time()) - SKEW_SECONDS + 5
    value = signature(SECRET, *REQUEST, stamp, list(IDENTITY.values()))
    assert verify(SECRET, value, REQUEST, list(IDENTITY.values())) is None


def test_a_new_timestamp_on_an_old_digest_is_refused() -> None:
    old = signature(SECRET, *REQUEST, int(time.time()) - 3600, list(IDENTITY.values()))
    moved = f"t={int(time.time())}," + old.split(",", 1)[1]
    assert verify(SECRET, moved, REQUEST, list(IDENTITY.values())) is not None


def test_another_secret_is_refused() -> None:
    other = Signer(b"a guess", SIGNATURE_HEADER, SIGNED_HEADERS)
    forged = other.signed(REQUEST[0], REQUEST[1] + "?" + REQUEST[2], IDENTITY)
    assert check(*REQUEST, forged) == "a signature that does not match"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (None, "no signature"),
        ("", "no signature"),
        ("garbage", "a malformed signature"),
        ("t=,v1=00", "a malformed signature"),
        ("t=-5,v1=00", "a malformed signature"),
        ("t=１２３,v1=00", "a malformed signature"),
        ("t={now}", "a malformed signature"),
        ("t={now},v1=", "a malformed signature"),
        ("t={now},v1=00", "a signature that does not match"),
    ],
)
def test_a_missing_or_malformed_header_is_refused(value: str | None, why: str) -> None:
    headers = dict(IDENTITY)
    if value is not None:
        # The time is taken when the test runs, not when it is collected (minutes earlier).
        headers[SIGNATURE_HEADER] = value.replace("{now}", str(int(time.time())))
    assert check(*REQUEST, headers) == why


def test_signing_replaces_a_signature_the_caller_brought() -> None:
    brought = {**IDENTITY, SIGNATURE_HEADER.lower(): "t=1,v1=forged"}
    headers = SIGNER.signed(REQUEST[0], REQUEST[1] + "?" + REQUEST[2], brought)
    assert [k for k in headers if k.lower() == SIGNATURE_HEADER.lower()] == [SIGNATURE_HEADER]
    assert check(*REQUEST, headers) is None


def test_the_wire_form_is_what_the_service_sees() -> None:
    """Escaped as the client will send it; the path decoded as the framework decodes it."""
    target = wire_target('/api/v1/members/S 1/ledger?q="a b"&z=%2f&n=é')
    assert target == "/api/v1/members/S%201/ledger?q=%22a%20b%22&z=%2F&n=%C3%A9"
    assert request_parts(target) == ("/api/v1/members/S 1/ledger", "q=%22a%20b%22&z=%2F&n=%C3%A9")
    assert request_parts("//x/%2e%2e/y") == ("/x/../y", "")


def _read_secret(path: str) -> bytes:
    return load_or_create_secret(Path(path))


def test_the_secret_file_is_made_once_privately_even_by_processes_racing(tmp_path: Path) -> None:
    path = tmp_path / "var" / "internal.secret"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        secrets = pool.map(_read_secret, [str(path)] * 8)
    assert len(set(secrets)) == 1 and len(secrets[0]) == 64
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["internal.secret"]  # no leftovers
    assert load_or_create_secret(path) == secrets[0]


def test_an_empty_secret_file_is_an_error_not_an_empty_key(tmp_path: Path) -> None:
    path = tmp_path / "internal.secret"
    path.write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        load_or_create_secret(path)
