"""What a re-score does to the engine's counters and to badges, as pure functions: the state
it leaves is the state a fresh replay leaves, and applying it twice is applying it once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.calendar import local_date
from services.points.rules.resync import badge_changes, inside, resync, window_span
from services.rules import Fact, State, replay, score
from tests.rules_examples import document

ZONE = "Asia/Shanghai"
START = datetime(2026, 6, 28, tzinfo=UTC)  # a week and a month end inside the stream
OLD = document()
NEW = document(
    event_types={
        **OLD["event_types"],
        "lecture_given": {"category": "study", "points": 3},
        "quiz": {**OLD["event_types"]["quiz"], "attempts": "first"},
    },
    caps=[{"category": "study", "per": "week", "points": 10}],
    badges=[{**OLD["badges"][0], "all_of": [{"count": "quiz", "at_least": 2}]}],
)


@st.composite
def facts(draw: st.DrawFn) -> tuple[str, Fact]:
    kind = draw(st.sampled_from(["lecture_given", "quiz", "attendance"]))
    instant = START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    data: dict[str, Any] = {
        "lecture_given": lambda: {},
        "quiz": lambda: {
            "quiz": draw(st.sampled_from("ab")),
            "score": draw(st.integers(0, 10)),
            "max_score": 10,
        },
        "attendance": lambda: {
            "status": draw(st.sampled_from(["on_time", "late", "absent"])),
            "session": draw(st.sampled_from(["s1", "s2", "s3"])),
        },
    }[kind]()
    return "S1", Fact(kind, data, instant, local_date(instant, ZONE))


streams = st.lists(facts(), max_size=40).map(lambda e: sorted(e, key=lambda p: p[1].occurred_at))


def live_state(events: list[tuple[str, Fact]]) -> dict[str, int]:
    """The state intake leaves after pricing ``events`` one by one under the old rules."""
    state = State()
    for _, fact in events:
        score(fact, OLD, 1, state)
    return state.values


def replayed(events: list[tuple[str, Fact]]) -> tuple[dict[str, int], set[tuple[str, str]]]:
    states: dict[str, State] = {}
    results = replay(events, lambda _fact: (NEW, 2), states)
    earned = {e.badge for entries in results for e in entries if e.badge is not None}
    return (states["S1"].values if states else {}), earned


def nonzero(values: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in values.items() if value}


@settings(max_examples=150, deadline=None)
@given(streams)
def test_the_state_after_a_rescore_is_the_state_of_a_fresh_replay(
    events: list[tuple[str, Fact]],
) -> None:
    start = START.date()
    live = live_state(events)
    target, earned = replayed(events)
    after = resync(live, target, start, earned)
    # Every event lies in the period: nothing of the old pricing survives.
    assert after == nonzero(target)
    assert resync(after, target, start, earned) == after  # twice is once


@settings(max_examples=150, deadline=None)
@given(streams, streams)
def test_counters_before_the_period_are_kept_and_the_rest_follow_the_replay(
    before: list[tuple[str, Fact]], during: list[tuple[str, Fact]]
) -> None:
    shift = timedelta(days=40)  # the second stream starts well after the first one ends
    during = [(m, Fact(f.type, f.data, f.occurred_at + shift, f.day + shift)) for m, f in during]
    start = (START + shift).date()
    live = live_state(before + during)
    target, earned = replayed(during)
    held = earned | {
        (key.split(":")[1], key.split(":")[2])
        for key, value in live.items()
        if key.startswith("badge:")
        and key.count(":") == 2
        and value
        and not _reaches(key.split(":")[2], start)
    }
    after = resync(live, target, start, held)
    for key, value in after.items():
        window = _window(key)
        if window is not None and not _reaches(window, start):
            assert value == live[key]  # a window closed before the period: untouched
        elif key.startswith(("cap:", "floor:")) or key in target:
            assert value == target[key]
    for key, value in target.items():
        if value and not key.startswith("badge:"):
            assert after[key] == value
    assert resync(after, target, start, held) == after


def test_windows_have_spans_and_lie_inside_periods_or_not() -> None:
    assert window_span("d2026-11-26") == (date(2026, 11, 26), date(2026, 11, 26))
    assert window_span("w2026-W01") == (date(2025, 12, 29), date(2026, 1, 4))
    assert window_span("m2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert window_span("q2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert window_span("y2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert window_span("all") is None
    assert inside("m2026-11", date(2026, 11, 1), date(2026, 11, 30))
    assert not inside("m2026-11", date(2026, 11, 2), date(2026, 11, 30))
    assert not inside("all", date(2000, 1, 1), date(2099, 1, 1))


def test_lifetime_counters_follow_the_replay_only_where_it_counted() -> None:
    live = {"seen:quiz:a": 2, "best:quiz:a": 6, "seen:quiz:b": 1, "best:quiz:b": 3}
    live |= {"streak:day:last": 100, "streak:day:length": 4, "streak:day:best": 9}
    live |= {"badge:quiz_master:all": 1, "badge:quiz_master:all:0": 7}
    target = {"seen:quiz:a": 1, "badge:quiz_master:all:0": 1}  # best 0: not stored
    after = resync(live, target, date(2026, 1, 1), held={("quiz_master", "all")})
    assert after == {
        "seen:quiz:a": 1,  # the replay met quiz a: its attempts are the replay's
        "seen:quiz:b": 1,  # it never met quiz b
        "best:quiz:b": 3,
        "streak:day:last": 100,  # no qualifying activity in the replay
        "streak:day:length": 4,
        "streak:day:best": 9,
        "badge:quiz_master:all": 1,  # held
        "badge:quiz_master:all:0": 7,  # lifetime progress counts from before any period
    }


def test_badges_inside_the_period_become_what_the_replay_earned() -> None:
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    earned = {("a", "m2026-11"): 5, ("b", "m2026-11"): 8, ("c", "w2026-W44"): 1}
    held = {("b", "m2026-11"): 5, ("d", "m2026-11"): 3, ("e", "w2026-W44"): 2, ("c", "all"): 4}
    changes = badge_changes(earned, held, start, end)
    assert changes.award == [("a", "m2026-11"), ("c", "w2026-W44")]
    assert changes.revoke == [("d", "m2026-11")]  # the week and lifetime reach outside
    assert changes.reprice == [(("b", "m2026-11"), 3)]
    after = {("a", "m2026-11"): 5, ("b", "m2026-11"): 8, ("c", "w2026-W44"): 1}
    after |= {("e", "w2026-W44"): 2, ("c", "all"): 4}
    again = badge_changes(earned, after, start, end)
    assert (again.award, again.revoke, again.reprice) == ([], [], [])


def _window(key: str) -> str | None:
    kind = key.split(":", 1)[0]
    if kind == "badge":
        return key.split(":")[2]
    if kind in ("cap", "floor"):
        return key.rsplit(":", 1)[1]
    return None


def _reaches(window: str, start: date) -> bool:
    span = window_span(window)
    return span is None or span[1] >= start
