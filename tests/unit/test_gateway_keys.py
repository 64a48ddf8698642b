"""Key format, hashing and scopes: plain values in, plain values out."""

from __future__ import annotations

import pytest

from gateway.auth import Caller, bearer_key
from gateway.keys import (
    KeyProblem,
    generate,
    grants,
    hash_secret,
    normalise_scopes,
    prefix_of,
    validate_name,
)
from services.common.errors import Forbidden, Unauthorized


def test_generated_keys_have_the_documented_form_and_are_unique() -> None:
    made = [generate() for _ in range(200)]
    for prefix, key in made:
        assert key.startswith(f"lk_{prefix}_") and len(prefix) == 8
        assert prefix_of(key) == prefix
        assert len(key) >= len("lk_12345678_") + 43  # 32 random bytes, base64url
    assert len({key for _, key in made}) == len(made)


@pytest.mark.parametrize(
    "text",
    ["", "lk_", "lk_1234567_" + "a" * 43, "lk_XYZ45678_" + "a" * 43, "pk_12345678_" + "a" * 43,
     "lk_12345678_short", "lk_12345678_" + "a" * 43 + " "],
)  # fmt: skip
def test_malformed_keys_have_no_prefix(text: str) -> None:
    assert prefix_of(text) is None


def test_hash_is_sha256_hex_of_the_whole_key() -> None:
    _, key = generate()
    digest = hash_secret(key)
    assert len(digest) == 64 and digest == hash_secret(key) and digest != hash_secret(key + "x")


def test_scopes_are_validated_deduplicated_and_ordered() -> None:
    assert normalise_scopes(["read", "events", "read"]) == "events read"
    assert normalise_scopes(["admin"]) == "admin"
    with pytest.raises(KeyProblem, match="Unknown scope.*write"):
        normalise_scopes(["read", "write"])
    with pytest.raises(KeyProblem, match="At least one scope"):
        normalise_scopes([])


def test_admin_implies_every_scope() -> None:
    assert grants(frozenset({"admin"}), "events") and grants(frozenset({"admin"}), "read")
    assert grants(frozenset({"read"}), "read")
    assert not grants(frozenset({"events", "read"}), "admin")


def test_names_must_be_header_safe() -> None:
    assert validate_name("checkin-terminal.2") == "checkin-terminal.2"
    for bad in ("", "has space", "-leading", "a" * 65, "new\nline", "naïve"):
        with pytest.raises(KeyProblem):
            validate_name(bad)


def test_bearer_header_parsing() -> None:
    assert bearer_key("Bearer lk_x") == "lk_x"
    assert bearer_key("bearer   lk_x ") == "lk_x"
    for bad in (None, "", "Bearer", "Bearer ", "Basic abc", "lk_x"):
        with pytest.raises(Unauthorized):
            bearer_key(bad)


def test_a_caller_without_the_scope_is_told_which_one() -> None:
    caller = Caller("terminal", frozenset({"events"}), "events")
    caller.require("events")
    with pytest.raises(Forbidden, match="needs the 'read' scope; this key has: events"):
        caller.require("read")


def test_no_key_makes_a_person_s_own_request_not_even_an_admin_one() -> None:
    for scopes in ("admin", "read events"):
        caller = Caller("boss", frozenset(scopes.split()), scopes)
        with pytest.raises(Forbidden, match="signed-in person's own request"):
            caller.require("person")
