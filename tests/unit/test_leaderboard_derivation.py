"""The derivation plan, evaluated in plain Python: every board and activity set it builds
from the ledger's finest sums equals the definition (``boards_for``, ``activity_for``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.leaderboard.keys import activity_for, boards_for
from services.leaderboard.rebuild.derivation import Part, Step, needed, plan
from tests.entries import entries_strategy, feed_pages

Values = dict[str, Any]  # key -> {member: points} (sorted sets) or {member, ...} (sets)


def definition(entries: list[dict[str, Any]]) -> Values:
    values: Values = defaultdict(lambda: defaultdict(int))
    for e in entries:
        for board in boards_for(e):
            values[board][e["member"]] += e["points"]
        for key in activity_for(e):
            values[key][e["member"]] = 1
    return {key: dict(members) for key, members in values.items()}


def finest(pages: list[dict[str, Any]]) -> tuple[dict[Part, list[str]], Values, set[date]]:
    """Parts with their pieces (one per page), as a rebuild writes them."""
    parts: dict[Part, list[str]] = defaultdict(list)
    values: Values = {}
    days = set()
    for page in pages:
        for item in page["items"]:
            day = date.fromisoformat(item["local_date"])
            part = Part(tuple(item["unit_path"]), day, item["category"])
            name = f"piece:{len(values)}"
            parts[part].append(name)
            values[name] = dict(zip(item["members"], item["points"], strict=True))
            if item["earned"]:
                key = f"lb:act:{{d{day.isoformat()}}}"
                values.setdefault(key, {}).update(dict.fromkeys(item["earned"], 1))
                days.add(day)
    return parts, values, days


def evaluate(steps: list[Step], values: Values) -> Values:
    values = dict(values)
    for step in steps:
        assert step.dst not in values, f"{step.dst} built twice"
        total: dict[str, int] = defaultdict(int)
        for source in step.sources:
            for member, points in values[source].items():
                total[member] = 1 if step.kind == "set" else total[member] + points
        values[step.dst] = dict(total)
        if step.move:
            del values[step.sources[0]]  # a moved key must never be read again
    return {key: value for key, value in values.items() if key.startswith("lb:")}


@settings(max_examples=200, deadline=None)
@given(entries_strategy, st.integers(min_value=1, max_value=7))
def test_the_plan_builds_every_board_as_defined(entries: list[dict], page_size: int) -> None:
    parts, values, days = finest(feed_pages(entries, page_size))
    assert evaluate(plan(parts, days), values) == definition(entries)


@settings(max_examples=100, deadline=None)
@given(entries_strategy, st.sampled_from(["w2020-W53", "d2026-03-31", "all", "y2026", "quiz"]))
def test_needed_steps_build_the_wanted_keys_alike(entries: list[dict], wanted: str) -> None:
    parts, values, days = finest(feed_pages(entries, 3))

    def owns(key: str) -> bool:
        return f":{wanted}" in key or f"{{{wanted}" in key

    everything = evaluate(plan(parts, days), values)
    some = evaluate(needed(plan(parts, days), owns), values)
    assert {k: v for k, v in some.items() if owns(k)} == {
        k: v for k, v in everything.items() if owns(k)
    }


def test_a_part_alone_is_moved_and_a_shared_board_copied() -> None:
    part = Part(("north",), date(2026, 11, 26), "quiz")
    steps = {step.dst: step for step in plan({part: ["piece:0"]}, [])}
    unit_day = steps["lb:{unit:north:d2026-11-26:quiz}"]
    assert unit_day.sources == ("piece:0",) and unit_day.move
    org_day = steps["lb:{org:d2026-11-26:quiz}"]
    assert org_day.sources == ("lb:{unit:north:d2026-11-26:quiz}",) and not org_day.move
