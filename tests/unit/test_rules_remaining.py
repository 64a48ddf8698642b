"""What a member can still earn today under the caps: examples on the seed agency's rule set,
and properties over generated rule sets and cap usage, checked against the engine itself."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.points.rules.remaining import remaining_today, usage_keys
from services.rules import Fact, State, score
from services.rules.caps import applicable

TODAY = date(2027, 7, 14)  # a Wednesday inside the agency's theme education month

AGENCY: dict[str, Any] = {
    "event_types": {
        "attendance": {
            "category": "attendance",
            "by": "status",
            "points": {"on_time": 2, "late": -1, "absent": -5, "excused": 0},
            "once_per": "session",
        },
        "quiz": {
            "category": "quiz",
            "once_per": "quiz",
            "attempts": "best",
            "score_bands": [
                {"min_percent": 100, "points": 12},
                {"min_percent": 90, "points": 8},
                {"min_percent": 60, "points": 2},
            ],
            "otherwise": -2,
        },
        "lecture_attended": {"category": "study", "points": 3, "once_per": "lecture"},
        "online_course": {
            "category": "study",
            "by": "length",
            "points": {"short": 1, "long": 3},
            "once_per": "course",
        },
        "material_shared": {"category": "study", "points": 2},
        "penalty_only": {"category": "conduct", "points": -4},
    },
    "caps": [
        {"category": "study", "per": "day", "points": 6},
        {"event_type": "material_shared", "per": "week", "points": 6},
        {"event_type": "quiz", "per": "month", "points": 30},
    ],
    "campaigns": [
        {
            "name": "Theme education month",
            "from": "2027-07-01",
            "to": "2027-07-31",
            "event_types": ["online_course", "lecture_attended"],
            "multiplier": 1.5,
        }
    ],
}


def test_usage_keys_name_today_s_periods() -> None:
    assert usage_keys(AGENCY, TODAY) == [
        "cap:category:study:d2027-07-14",
        "cap:event_type:material_shared:w2027-W28",
        "cap:event_type:quiz:m2027-07",
    ]


def test_the_tightest_cap_wins_and_uncapped_types_say_none() -> None:
    usage = {
        "cap:category:study:d2027-07-14": 2,
        "cap:event_type:material_shared:w2027-W28": 5,
        "cap:event_type:quiz:m2027-07": 25,
    }
    found = remaining_today(AGENCY, usage, TODAY)
    types = found.event_types
    assert (types["material_shared"].remaining, types["material_shared"].best_award) == (1, 1)
    assert types["material_shared"].cap is not None
    assert types["material_shared"].cap.scope == "event_type:material_shared"
    # 3 x 1.5 = 4.5 -> 5 in the campaign, within the 4 left of the daily study cap.
    assert (types["lecture_attended"].remaining, types["lecture_attended"].best_award) == (4, 4)
    assert (types["online_course"].remaining, types["online_course"].best_award) == (4, 4)
    assert (types["quiz"].remaining, types["quiz"].best_award) == (5, 5)
    assert (types["attendance"].remaining, types["attendance"].best_award) == (None, 2)
    assert types["attendance"].cap is None
    assert (types["penalty_only"].remaining, types["penalty_only"].best_award) == (None, 0)
    cats = found.categories
    assert (cats["study"].remaining, cats["quiz"].remaining) == (4, 5)
    assert cats["quiz"].cap is None  # bounded by the quiz type's own cap, not a category cap
    assert cats["attendance"].remaining is None
    assert cats["conduct"].remaining == 0  # nothing there can award points


def test_usage_past_a_lowered_cap_leaves_nothing_not_less() -> None:
    usage = {"cap:category:study:d2027-07-14": 9}
    found = remaining_today(AGENCY, usage, TODAY)
    assert found.event_types["lecture_attended"].remaining == 0
    assert found.event_types["lecture_attended"].best_award == 0
    assert found.categories["study"].remaining == 0


# Generated rule sets: a few event types in a few categories, each priced one of the three
# ways, with caps on some types and categories, and perhaps a campaign in force today.
TYPES = ("t_a", "t_b", "t_c", "t_d")
CATEGORIES = ("quiz", "study", "practice")
PERIODS = ("day", "week", "month")
points = st.integers(-5, 15)


@st.composite
def rules(draw: st.DrawFn) -> dict[str, Any]:
    category = draw(st.sampled_from(CATEGORIES))
    method = draw(st.sampled_from(["flat", "by", "bands"]))
    if method == "flat":
        return {"category": category, "points": draw(points)}
    if method == "by":
        values = draw(st.dictionaries(st.sampled_from("xyz"), points, min_size=1))
        return {"category": category, "by": "grade", "points": values}
    marks = draw(st.lists(st.integers(0, 100), min_size=1, max_size=3, unique=True))
    awards = sorted(draw(st.lists(points, min_size=len(marks), max_size=len(marks))))
    bands = [{"min_percent": m, "points": p} for m, p in zip(sorted(marks), awards, strict=True)]
    return {"category": category, "score_bands": bands, "otherwise": min(awards) - 1}


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, int], date]:
    names = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=4, unique=True))
    event_types = {name: draw(rules()) for name in names}
    used = sorted({rule["category"] for rule in event_types.values()})
    targets = [("event_type", n) for n in names] + [("category", c) for c in used]
    caps = [
        {kind: target, "per": per, "points": draw(st.integers(1, 20))}
        for kind, target in targets
        for per in PERIODS
        if draw(st.booleans())
    ]
    today = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    document: dict[str, Any] = {"event_types": event_types, "caps": caps}
    if draw(st.booleans()):
        document["campaigns"] = [
            {
                "name": "Campaign",
                "from": today.isoformat(),
                "to": today.isoformat(),
                "event_types": draw(st.lists(st.sampled_from(names), min_size=1, unique=True)),
                "multiplier": draw(st.sampled_from([0.5, 1.5, 2, 3])),
            }
        ]
    keys = usage_keys(document, today)
    usage = {key: draw(st.integers(0, 25)) for key in keys if draw(st.booleans())}
    return document, usage, today


def rooms(document: dict[str, Any], usage: dict[str, int], today: date, name: str) -> list:
    rule = document["event_types"][name]
    fact = Fact(name, {}, datetime.combine(today, time.min), today)
    found = applicable(document, fact, rule["category"])
    return [(cap.scope, max(0, cap.limit - usage.get(cap.key, 0))) for cap in found]


def top_fact(document: dict[str, Any], name: str, today: date) -> Fact:
    """An event of ``name`` that earns the rule's top award."""
    rule = document["event_types"][name]
    data: dict[str, Any] = {}
    if "by" in rule:
        data = {"grade": max(rule["points"], key=lambda value: rule["points"][value])}
    elif "score_bands" in rule:
        data = {"score": 10, "max_score": 10}
    return Fact(name, data, datetime.combine(today, time(12)), today)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_room_is_never_negative_nor_above_any_cap(case: tuple) -> None:
    document, usage, today = case
    found = remaining_today(document, usage, today)
    for name, room in found.event_types.items():
        caps_room = [r for _, r in rooms(document, usage, today, name)]
        if not caps_room:
            assert room.remaining is None and room.cap is None
            continue
        assert room.remaining == min(caps_room) >= 0
        assert 0 <= room.best_award <= room.remaining


@settings(max_examples=300, deadline=None)
@given(cases())
def test_without_a_category_cap_the_type_s_own_caps_decide(case: tuple) -> None:
    document, usage, today = case
    found = remaining_today(document, usage, today)
    for name, room in found.event_types.items():
        found_rooms = rooms(document, usage, today, name)
        if any(scope.startswith("category:") for scope, _ in found_rooms):
            continue
        own = [r for scope, r in found_rooms if scope == f"event_type:{name}"]
        assert room.remaining == (min(own) if own else None)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_category_bounds_every_type_in_it_that_can_award(case: tuple) -> None:
    document, usage, today = case
    found = remaining_today(document, usage, today)
    for name, category in found.categories.items():
        assert category.remaining is None or category.remaining >= 0
        if category.cap is not None:
            assert category.remaining is not None and category.remaining <= category.cap.remaining
        earners = [
            room
            for room in found.event_types.values()
            if room.category == name and room.best_award > 0
        ]
        for room in earners:
            if category.remaining is not None:
                assert room.remaining is not None and room.remaining <= category.remaining


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_engine_grants_exactly_the_best_award(case: tuple) -> None:
    """One more top-paying event, scored by the engine on the same usage, earns best_award."""
    document, usage, today = case
    found = remaining_today(document, usage, today)
    for name, room in found.event_types.items():
        state = State(usage)
        [entry] = score(top_fact(document, name, today), document, 1, state)
        assert max(0, entry.points) == room.best_award


@settings(max_examples=200, deadline=None)
@given(cases())
def test_spending_the_room_earns_exactly_the_room(case: tuple) -> None:
    """Top-paying events, one after another, earn the type's remaining room and no more."""
    document, usage, today = case
    found = remaining_today(document, usage, today)
    for name, room in found.event_types.items():
        if room.remaining is None or room.best_award == 0:
            continue
        state, earned = State(usage), 0
        for _ in range(room.remaining + 2):  # each event earns at least 1 while room is left
            [entry] = score(top_fact(document, name, today), document, 1, state)
            earned += entry.points
        assert earned == room.remaining
        assert remaining_today(document, state.values, today).event_types[name].best_award == 0
