"""Properties of the rule engine, whatever the order and duplication of events: caps are never
exceeded, entries add up, badges come once per window, streaks follow local days."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.calendar import local_date
from services.rules import Fact, State, needed_keys, replay, score
from services.rules.multipliers import apply as multiply
from tests.rules_examples import document

DOC = document()
START = datetime(2026, 6, 25, tzinfo=UTC)

kinds = st.sampled_from(["lecture_given", "quiz", "attendance", "practice_report"])


@st.composite
def facts(draw: st.DrawFn, zone: str = "Asia/Shanghai") -> tuple[str, Fact]:
    kind = draw(kinds)
    member = draw(st.sampled_from(["S1", "S2"]))
    instant = START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 45)))
    data: dict[str, Any] = {
        "lecture_given": lambda: {},
        "quiz": lambda: {
            "quiz": draw(st.sampled_from("abc")),
            "score": draw(st.integers(0, 10)),
            "max_score": 10,
        },
        "attendance": lambda: {
            "status": draw(st.sampled_from(["on_time", "late", "absent"])),
            "session": draw(st.sampled_from(["s1", "s2", "s3", "s4"])),
        },
        "practice_report": lambda: {"rating": draw(st.sampled_from("ABC")), "title": "t"},
    }[kind]()
    return member, Fact(kind, data, instant, local_date(instant, zone))


streams = st.lists(facts(), max_size=60).flatmap(
    lambda events: st.permutations(events + events[: len(events) // 3])  # some sent twice
)


def run(events: list[tuple[str, Fact]]) -> list[tuple[str, Fact, list[Any]]]:
    results = replay(events, lambda _fact: (DOC, 7))
    return [(m, f, r) for (m, f), r in zip(events, results, strict=True)]


@settings(max_examples=150, deadline=None)
@given(streams)
def test_caps_are_never_exceeded(events: list[tuple[str, Fact]]) -> None:
    per_day: dict[tuple[str, date], int] = {}
    for member, fact, entries in run(events):
        for entry in entries:
            if entry.category == "study":
                key = (member, fact.day)
                per_day[key] = per_day.get(key, 0) + entry.points
    assert all(total <= 8 for total in per_day.values())


@settings(max_examples=150, deadline=None)
@given(streams)
def test_floors_hold_and_details_add_up(events: list[tuple[str, Fact]]) -> None:
    monthly: dict[tuple[str, str], int] = {}
    for member, fact, entries in run(events):
        for entry in entries:
            assert isinstance(entry.points, int) and entry.reason and entry.detail
            if entry.kind == "event":
                assert entry.detail["points"] == entry.points
                assert entry.detail["rule_set_version"] == 7
            if entry.category == "attendance":
                key = (member, fact.day.strftime("%Y-%m"))
                before = monthly.get(key, 0)
                monthly[key] = before + entry.points
                assert monthly[key] >= min(-8, before)


@settings(max_examples=150, deadline=None)
@given(streams)
def test_badges_come_once_per_window_and_once_per_thing_holds(
    events: list[tuple[str, Fact]],
) -> None:
    badges: set[tuple[str, str, str]] = set()
    sessions: dict[tuple[str, str], int] = {}
    quizzes: dict[tuple[str, str], int] = {}
    for member, fact, entries in run(events):
        for entry in entries:
            if entry.badge:
                assert (member, *entry.badge) not in badges
                badges.add((member, *entry.badge))
        own = entries[0]
        if fact.type == "attendance":
            key = (member, fact.data["session"])
            sessions[key] = sessions.get(key, 0) + (
                own.points != 0 or own.detail["base_points"] == 0
            )
        if fact.type == "quiz":
            key = (member, fact.data["quiz"])
            quizzes[key] = quizzes.get(key, 0) + own.points
    assert all(count <= 1 for count in sessions.values())
    assert all(total <= 10 for total in quizzes.values())  # never more than the best attempt


@settings(max_examples=100, deadline=None)
@given(st.lists(facts(), max_size=40))
def test_scoring_from_loaded_state_equals_scoring_from_memory(
    events: list[tuple[str, Fact]],
) -> None:
    """Intake loads only ``needed_keys``; a missing key would raise or score differently."""
    memory = replay(events, lambda _fact: (DOC, 7))
    stored: dict[str, dict[str, int]] = {}
    for (member, fact), expected in zip(events, memory, strict=True):
        keys = needed_keys(fact, DOC)
        values = stored.setdefault(member, {})
        state = State({k: v for k, v in values.items() if k in keys}, known=keys)
        got = score(fact, DOC, 7, state)
        values.update({k: state.values[k] for k in state.changed})
        assert got == expected


def streak_of(days: list[datetime], zone: str, per: str = "day") -> list[int]:
    doc = copy.deepcopy(DOC)
    doc["streak"]["per"] = per
    state = State()
    lengths = []
    for instant in days:
        fact = Fact(
            "quiz",
            {"quiz": instant.isoformat(), "score": 1, "max_score": 10},
            instant,
            local_date(instant, zone),
        )
        entries = score(fact, doc, 1, state)
        lengths.append(entries[0].detail["streak"]["length"])
    return lengths


def test_streaks_run_across_month_and_year_ends_in_the_org_zone() -> None:
    # 23:30 local on 31 December and 00:30 local on 1 January are consecutive local days,
    # though both are on 31 December in UTC.
    shanghai = [
        datetime(2026, 12, 30, 15, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 15, 30, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 30, tzinfo=UTC),
        datetime(2027, 1, 1, 16, 30, tzinfo=UTC),
    ]
    assert streak_of(shanghai, "Asia/Shanghai") == [1, 2, 3, 4]
    assert streak_of(shanghai, "UTC") == [1, 2, 2, 3]


def test_streaks_survive_daylight_saving_changes() -> None:
    # Berlin springs forward on 29 March 2026: that local day has 23 hours.
    days = [datetime(2026, 3, 27, 22, 30, tzinfo=UTC) + timedelta(hours=23 * i) for i in range(4)]
    assert [local_date(d, "Europe/Berlin").day for d in days] == [27, 28, 29, 30]
    assert streak_of(days, "Europe/Berlin") == [1, 2, 3, 4]


def test_a_broken_streak_restarts_and_shows_what_ended() -> None:
    base = datetime(2026, 1, 30, 2, 0, tzinfo=UTC)
    days = [base, base + timedelta(days=1), base + timedelta(days=3)]
    assert streak_of(days, "Asia/Shanghai") == [1, 2, 1]
    weeks = [base, base + timedelta(days=7), base + timedelta(days=21)]
    assert streak_of(weeks, "Asia/Shanghai", "week") == [1, 2, 1]


def test_milestones_pay_once_per_streak() -> None:
    state = State()
    bonuses = []
    for offset in [0, 1, 1, 2, 3, 5, 6, 7]:
        instant = datetime(2026, 5, 1, 2, tzinfo=UTC) + timedelta(days=offset)
        fact = Fact(
            "attendance",
            {"status": "on_time", "session": str(offset)},
            instant,
            local_date(instant, "Asia/Shanghai"),
        )
        bonuses += [e.points for e in score(fact, DOC, 1, state) if e.kind == "streak"]
    assert bonuses == [4, 4]  # day 3 of the first streak and day 3 of the second


@given(st.integers(1, 10_000), st.sampled_from(["1.5", "2", "0.5", "1.25", "0.33"]))
def test_multipliers_round_half_away_from_zero_once(points: int, factor: str) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    got, _ = multiply(points, [{"name": "c", "multiplier": factor}])
    assert got == int((Decimal(points) * Decimal(factor)).quantize(Decimal(1), ROUND_HALF_UP))
    assert multiply(-points, [{"name": "c", "multiplier": factor}])[0] == -points
