"""Board keys: the contract's key scheme and the periods an entry lands in."""

from __future__ import annotations

import pytest

from services.leaderboard.keys import board_key, boards_for, scopes_for, tmp_key


def entry(local_date: str, unit_path: list[str] | None = None, category: str = "quiz") -> dict:
    return {
        "id": 1,
        "member": "S0001",
        "member_name": "Li Na",
        "unit_path": ["north", "north-ops"] if unit_path is None else unit_path,
        "category": category,
        "points": 6,
        "local_date": local_date,
    }


def test_board_key_matches_the_contract() -> None:
    assert board_key("org", "all", "total") == "lb:{org:all:total}"
    assert board_key("unit:north", "w2026-W48", "quiz") == "lb:{unit:north:w2026-W48:quiz}"


@pytest.mark.parametrize(
    "scope", ["", "unit:", "unit:a:b", "unit:a}b", "unit:{x}", "team:a", "ORG", "unit:" + "a" * 65]
)
def test_board_key_refuses_bad_scopes(scope: str) -> None:
    with pytest.raises(ValueError, match="scope"):
        board_key(scope, "all", "total")


@pytest.mark.parametrize("category", ["", "Quiz", "a-b", "a:b", "x" * 33])
def test_board_key_refuses_bad_categories(category: str) -> None:
    with pytest.raises(ValueError, match="category"):
        board_key("org", "all", category)


def test_tmp_key_shares_the_hash_tag() -> None:
    assert tmp_key("abc", "lb:{org:all:total}") == "lb:tmp:abc:{org:all:total}"


def test_scopes_are_the_org_then_each_unit_down_the_path() -> None:
    assert scopes_for(["north", "north-ops", "team_7"]) == [
        "org",
        "unit:north",
        "unit:north-ops",
        "unit:team_7",
    ]
    assert scopes_for([]) == ["org"]


def test_an_entry_touches_scopes_times_periods_times_two_categories() -> None:
    keys = boards_for(entry("2026-11-26"))
    assert len(keys) == len(set(keys)) == 3 * 6 * 2
    assert "lb:{org:all:total}" in keys
    assert "lb:{unit:north-ops:d2026-11-26:quiz}" in keys
    assert "lb:{unit:north:w2026-W48:total}" in keys
    assert "lb:{org:q2026-Q4:quiz}" in keys
    assert "lb:{org:m2026-11:total}" in keys
    assert "lb:{org:y2026:quiz}" in keys


def test_an_entry_without_units_only_touches_the_org() -> None:
    assert len(boards_for(entry("2026-11-26", unit_path=[]))) == 12


def test_a_category_named_total_is_not_counted_twice() -> None:
    keys = boards_for(entry("2026-11-26", unit_path=[], category="total"))
    assert len(keys) == len(set(keys)) == 6


def periods(local_date: str) -> set[str]:
    return {key.split(":")[2] for key in boards_for(entry(local_date, unit_path=[]))}


@pytest.mark.parametrize(
    ("local_date", "expected"),
    [
        # ISO week 53: 2020 had one, and 2021-01-01 (a Friday) still belongs to it.
        ("2020-12-31", {"all", "y2020", "q2020-Q4", "m2020-12", "w2020-W53", "d2020-12-31"}),
        ("2021-01-01", {"all", "y2021", "q2021-Q1", "m2021-01", "w2020-W53", "d2021-01-01"}),
        ("2021-01-04", {"all", "y2021", "q2021-Q1", "m2021-01", "w2021-W01", "d2021-01-04"}),
        # 2027-01-01 is a Friday in ISO week 53 of 2026.
        ("2027-01-01", {"all", "y2027", "q2027-Q1", "m2027-01", "w2026-W53", "d2027-01-01"}),
        # 2024-12-30 is a Monday in ISO week 1 of 2025.
        ("2024-12-30", {"all", "y2024", "q2024-Q4", "m2024-12", "w2025-W01", "d2024-12-30"}),
    ],
)
def test_periods_across_year_boundaries(local_date: str, expected: set[str]) -> None:
    assert periods(local_date) == expected


@pytest.mark.parametrize(
    ("local_date", "quarter"),
    [
        ("2026-01-01", "q2026-Q1"),
        ("2026-03-31", "q2026-Q1"),
        ("2026-04-01", "q2026-Q2"),
        ("2026-06-30", "q2026-Q2"),
        ("2026-07-01", "q2026-Q3"),
        ("2026-09-30", "q2026-Q3"),
        ("2026-10-01", "q2026-Q4"),
        ("2026-12-31", "q2026-Q4"),
    ],
)
def test_quarters(local_date: str, quarter: str) -> None:
    assert quarter in periods(local_date)


def test_an_entry_with_a_bad_unit_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unit code"):
        boards_for(entry("2026-11-26", unit_path=["north", "bad:code"]))
