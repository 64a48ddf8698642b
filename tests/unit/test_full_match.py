"""Validators match whole strings: a value with a trailing newline is refused everywhere.

Python's ``$`` also matches just before a final newline, and marshmallow's ``Regexp`` matches
from the start only, so a pattern ending in ``$`` let ``"north\\n"`` through as a unit code.
"""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from services.leaderboard import keys
from services.leaderboard.admin_schemas import GroupSchema, RebuildSchema
from services.leaderboard.schemas import BoardQuerySchema, CompareQuerySchema
from services.points.schemas import EventSchema, MemberSchema, UnitSchema
from services.rewards.document.sections import NAME as RULE_NAME

EVENT = {"id": "e1", "type": "quiz", "member": "S001", "occurred_at": "2026-11-26T09:00:00+08:00"}


def _refused(schema: object, data: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)  # type: ignore[attr-defined]
    assert field in caught.value.messages


def test_points_schemas_accept_plain_values() -> None:
    UnitSchema().load({"code": "north", "name": "North"})
    MemberSchema().load({"staff_no": "S001", "name": "Li Na", "unit": "north"})
    EventSchema().load({**EVENT, "type": "custom_type"})


@pytest.mark.parametrize("value", ["north\n", "north\r\n", "\nnorth"])
def test_a_unit_code_with_a_newline_is_refused(value: str) -> None:
    _refused(UnitSchema(), {"code": value, "name": "North"}, "code")
    _refused(UnitSchema(), {"code": "x", "name": "X", "parent": value}, "parent")
    _refused(MemberSchema(), {"staff_no": "S001", "name": "Li", "unit": value}, "unit")


def test_a_staff_number_with_a_trailing_newline_is_refused() -> None:
    _refused(MemberSchema(), {"staff_no": "S001\n", "name": "Li", "unit": "north"}, "staff_no")
    _refused(EventSchema(), {**EVENT, "member": "S001\n"}, "member")


def test_an_event_type_with_a_trailing_newline_is_refused() -> None:
    _refused(EventSchema(), {**EVENT, "type": "custom_type\n"}, "type")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scope": "org\n"}, "scope"),
        ({"scope": "unit:north\n"}, "scope"),
        ({"scope": "group:g1\n"}, "scope"),
        ({"category": "quiz\n"}, "category"),
    ],
)
def test_a_board_query_with_a_trailing_newline_is_refused(
    query: dict[str, str], field: str
) -> None:
    BoardQuerySchema().load({"scope": "unit:north", "category": "quiz"})
    _refused(BoardQuerySchema(), query, field)


def test_compared_units_and_admin_values_with_a_trailing_newline_are_refused() -> None:
    _refused(CompareQuerySchema(), {"units": ["north\n", "south"]}, "units")
    _refused(GroupSchema(), {"code": "g1\n", "name": "G"}, "code")
    _refused(RebuildSchema(), {"scope": "org\n"}, "scope")
    _refused(RebuildSchema(), {"category": "quiz\n"}, "category")


@pytest.mark.parametrize(
    "build",
    [
        lambda: keys.board_key("org\n", "all", "total"),
        lambda: keys.board_key("org", "all\n", "total"),
        lambda: keys.board_key("org", "all", "total\n"),
        lambda: keys.unit_scope("north\n"),
        lambda: keys.group_key("g1\n"),
        lambda: keys.activity_key("d2026-11-26\n"),
    ],
)
def test_a_board_key_part_with_a_trailing_newline_is_refused(build) -> None:  # type: ignore[no-untyped-def]
    assert keys.board_key("unit:north", "all", "total") == "lb:{unit:north:all:total}"
    with pytest.raises(ValueError):
        build()


def test_a_rule_name_with_a_trailing_newline_is_refused() -> None:
    assert RULE_NAME.match("quiz") and not RULE_NAME.match("quiz\n")


def test_a_key_name_or_a_key_with_a_trailing_newline_is_refused() -> None:
    from gateway.keys import KeyProblem, generate, prefix_of, validate_name

    assert validate_name("checkin-terminal") == "checkin-terminal"
    with pytest.raises(KeyProblem):
        validate_name("checkin-terminal\n")
    prefix, key = generate()
    assert prefix_of(key) == prefix and prefix_of(key + "\n") is None
