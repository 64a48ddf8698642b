"""A key's limits, expiry and rotation (gateway/keys.py): limits normalised, statuses from the
row's times, and rotation refused for revoked keys and for expired ones without a new expiry.
Rows live in a real in-memory SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from gateway import keys
from gateway.auth import Caller
from gateway.keys import KeyProblem, hash_secret, normalise_limits, status_of
from gateway.models import ApiKey, Base
from services.common.db import utcnow


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_limits_are_deduplicated_sorted_and_empty_means_any() -> None:
    types = normalise_limits(["quiz", " attendance", "quiz", ""], keys.TYPE_NAME, "event_types")
    assert types == "attendance quiz"
    assert normalise_limits([], keys.UNIT_CODE, "units") == ""
    assert (
        normalise_limits(["north-ops", "North_2"], keys.UNIT_CODE, "units") == "North_2 north-ops"
    )


@pytest.mark.parametrize(
    ("values", "form", "what"),
    [
        (["Quiz"], keys.TYPE_NAME, "event_types"),  # upper case: not a type name
        (["a b"], keys.TYPE_NAME, "event_types"),
        (["x" * 33], keys.TYPE_NAME, "event_types"),
        (["north/ops"], keys.UNIT_CODE, "units"),
        (["n" * 65], keys.UNIT_CODE, "units"),
        ([f"t{i}" for i in range(keys.MAX_LIMITS + 1)], keys.TYPE_NAME, "event_types"),
    ],
)
def test_bad_or_too_many_limits_are_refused_naming_the_field(values, form, what) -> None:
    with pytest.raises(KeyProblem) as refused:
        normalise_limits(values, form, what)
    assert refused.value.status == 422 and refused.value.errors == {
        "json": {what: [refused.value.message]}
    }


def test_the_limits_fit_their_columns_at_the_most() -> None:
    types = normalise_limits([f"t{i:02d}" + "x" * 28 for i in range(20)], keys.TYPE_NAME, "t")
    units = normalise_limits([f"u{i:02d}" + "x" * 61 for i in range(20)], keys.UNIT_CODE, "u")
    assert len(types) <= ApiKey.__table__.c.event_types.type.length
    assert len(units) <= ApiKey.__table__.c.units.type.length


def row(**fields: object) -> ApiKey:
    return ApiKey(name="k", prefix="12345678", secret_hash="0" * 64, scopes="events", **fields)


def test_status_comes_from_revocation_then_expiry() -> None:
    now = utcnow()
    assert status_of(row()) == keys.ACTIVE
    assert status_of(row(expires_at=now + timedelta(seconds=5)), now) == keys.ACTIVE
    assert status_of(row(expires_at=now), now) == keys.EXPIRED
    revoked = row(expires_at=now - timedelta(days=1), revoked_at=now - timedelta(days=2))
    assert status_of(revoked, now) == keys.REVOKED  # revoked says more than expired


def test_an_expiry_must_be_ahead_and_a_time_without_zone_is_utc(session: Session) -> None:
    with pytest.raises(KeyProblem, match="in the future"):
        keys.create_key(session, "late", ["events"], expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(KeyProblem, match="out of range"):
        far = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))  # past year 9999
        keys.create_key(session, "far", ["events"], expires_at=far)
    naive = (utcnow() + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    keys.create_key(session, "naive", ["events"], expires_at=naive)
    assert keys.find_key(session, "naive").expires_at == naive.replace(tzinfo=UTC)


def test_an_admin_key_takes_no_limits(session: Session) -> None:
    for limits in ({"event_types": ["quiz"]}, {"units": ["north"]}):
        with pytest.raises(KeyProblem, match="admin key cannot be limited") as refused:
            keys.create_key(session, "boss", ["admin", "events"], **limits)  # type: ignore[arg-type]
        assert refused.value.errors == {"json": {"scopes": [refused.value.message]}}
    keys.create_key(session, "boss", ["admin"])


def test_a_limited_admin_scope_is_never_an_organisation_admin() -> None:
    # Defence in depth: a row made before the rule (or by hand) still cannot manage keys.
    assert Caller("boss", frozenset({"admin"}), "admin").org_admin
    assert not Caller("boss", frozenset({"admin"}), "admin", units=("north",)).org_admin
    assert not Caller("boss", frozenset({"admin"}), "admin", event_types=("quiz",)).org_admin


def test_rotation_gives_a_new_secret_and_keeps_name_scopes_and_limits(session: Session) -> None:
    first = keys.create_key(session, "terminal", ["events"], event_types=["quiz"], units=["north"])
    stored, old_prefix, second = keys.rotate_key(session, "terminal")
    assert old_prefix == keys.prefix_of(first) != keys.prefix_of(second) == stored.prefix
    assert stored.secret_hash == hash_secret(second) != hash_secret(first)
    assert (stored.name, stored.scopes, stored.event_types, stored.units) == (
        "terminal", "events", "quiz", "north",
    )  # fmt: skip
    assert stored.rotated_at is not None and stored.expires_at is None


def test_a_revoked_key_is_never_rotated(session: Session) -> None:
    keys.create_key(session, "gone", ["events"])
    keys.revoke_key(session, "gone")
    with pytest.raises(KeyProblem, match="revoked") as refused:
        keys.rotate_key(session, "gone", None)
    assert refused.value.status == 409


def test_an_expired_key_is_rotated_only_with_a_new_expiry(session: Session) -> None:
    keys.create_key(session, "old", ["events"], expires_at=utcnow() + timedelta(days=1))
    stored = keys.find_key(session, "old")
    stored.expires_at = utcnow() - timedelta(seconds=1)  # time has passed
    prefix = stored.prefix
    with pytest.raises(KeyProblem, match="has expired") as refused:
        keys.rotate_key(session, "old")
    assert refused.value.status == 422 and stored.prefix == prefix  # nothing changed
    later = utcnow() + timedelta(days=30)
    renewed, _, _ = keys.rotate_key(session, "old", later)
    assert renewed.expires_at == later and status_of(renewed) == keys.ACTIVE
    never, _, _ = keys.rotate_key(session, "old", None)
    assert never.expires_at is None


def test_rotating_or_revoking_an_unknown_key_is_404(session: Session) -> None:
    for act in (keys.rotate_key, keys.revoke_key):
        with pytest.raises(KeyProblem) as refused:
            act(session, "nobody")
        assert refused.value.status == 404
