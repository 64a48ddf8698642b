"""People at the gateway, the pure parts: password hashes and rules, token formats, roles
mapped onto scopes, and the one table of whose member data a person may read."""

from __future__ import annotations

import pytest

from gateway import keys, member_access, passwords, tokens
from gateway.accounts import Held
from gateway.auth import Caller, person
from services.common.errors import Forbidden


def test_a_password_hash_is_argon2id_salted_and_checks_only_the_right_password() -> None:
    first, second = (
        passwords.hash_password("a long enough secret"),
        passwords.hash_password("a long enough secret"),
    )
    assert first.startswith("$argon2id$") and first != second  # salted
    assert passwords.verify(first, "a long enough secret")
    assert not passwords.verify(first, "a long enough secreT")
    assert not passwords.verify(None, "a long enough secret")  # no password set yet
    assert not passwords.verify("not a hash", "a long enough secret")


@pytest.mark.parametrize("bad", ["short", "x" * 129, " padded password ", ""])
def test_new_passwords_keep_the_bounds(bad: str) -> None:
    with pytest.raises(passwords.PasswordProblem):
        passwords.hash_password(bad)


def test_one_time_passwords_are_long_random_and_acceptable() -> None:
    made = {passwords.one_time_password() for _ in range(50)}
    assert len(made) == 50 and all(len(p) == 16 for p in made)
    assert all(passwords.check_rules(p) == p for p in made)


def test_token_format_and_hash() -> None:
    assert tokens.is_token("lt_0123456789ab_" + "x" * 43)
    assert tokens.is_token("lr_0123456789ab_" + "x" * 43)
    assert not tokens.is_token("lk_01234567_" + "x" * 43)  # an API key
    assert keys.hash_secret("a") == keys.hash_secret("a") != keys.hash_secret("b")
    assert len(keys.hash_secret("a")) == 64


def test_roles_map_onto_scopes_and_people_never_post_events() -> None:
    staff = person("S1", (Held("staff", ""),))
    assert (staff.name, staff.scope_text) == ("member:S1", "read")
    admin = person("A1", (Held("staff", ""), Held("admin", "")))
    assert admin.scope_text == "admin" and admin.org_admin
    regional = person("A2", (Held("admin", "north"),))
    assert regional.scope_text == "read" and not regional.org_admin
    for who in (staff, admin):
        with pytest.raises(Forbidden):
            who.require("events")
    admin.require("admin")
    with pytest.raises(Forbidden):
        staff.require("admin")
    for who in (staff, admin, regional):
        who.require("person")  # what a member writes for themself (an excuse)


def test_every_person_holds_the_person_scope_and_no_key_does() -> None:
    for roles in ((), (Held("admin", ""),), (Held("reviewer", "north"),)):
        person("S1", roles).require(keys.PERSON)
    for scopes in ("admin", "read", "events admin read"):
        key = Caller("hr-sync", frozenset(scopes.split()), scopes)
        with pytest.raises(Forbidden, match="'person'"):
            key.require(keys.PERSON)
    with pytest.raises(keys.KeyProblem):
        keys.normalise_scopes(["person"])  # not a scope a key can be given


@pytest.mark.parametrize("part", sorted(member_access.OWN_ONLY))
def test_a_member_reads_only_their_own_unless_a_role_allows(part: str) -> None:
    staff = person("S1", (Held("staff", ""),))
    member_access.check(staff, f"/api/v1/members/S1/{part}")
    with pytest.raises(Forbidden):
        member_access.check(staff, f"/api/v1/members/S2/{part}")
    with pytest.raises(Forbidden):
        member_access.check(staff, f"/api/v1/members/S2/{part}/")
    for role in ("reviewer", "admin"):
        member_access.check(person("R1", (Held(role, ""),)), f"/api/v1/members/S2/{part}")


def test_boards_standings_and_member_records_stay_open_to_every_member() -> None:
    staff = person("S1", ())
    for path in ("/api/v1/leaderboard", "/api/v1/members/S2/standing", "/api/v1/members/S2"):
        member_access.check(staff, path)
