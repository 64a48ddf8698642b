"""Properties: a document the schema accepts prices every valid built-in event, never raising.

Documents come three ways: valid by construction (must be accepted), valid documents with one
random mutation (accepted or refused, but when accepted they must price), and arbitrary JSON
(refused with a ValidationError, never a crash).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from services.rewards.document.validate import (
    ATTENDANCE_STATUSES,
    BUILT_IN,
    MAX_BANDS,
    MAX_POINTS,
    MAX_RATING_LENGTH,
    DocumentSchema,
)
from services.rules.pricing import price

names = st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True)
points = st.integers(-MAX_POINTS, MAX_POINTS)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-2 * MAX_POINTS, 2 * MAX_POINTS)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
plausible = (
    points
    | names
    | st.sampled_from([*ATTENDANCE_STATUSES, "A", "B", "C", "status", "rating", 0, 100])
    | json_values
)


def by_rule(by: str | st.SearchStrategy[str], values: st.SearchStrategy[Any]) -> Any:
    return st.fixed_dictionaries(
        {"category": names, "by": by if isinstance(by, st.SearchStrategy) else st.just(by)}
    ).flatmap(lambda rule: values.map(lambda mapping: {**rule, "points": mapping}))


@st.composite
def band_rules(draw: st.DrawFn) -> dict[str, Any]:
    thresholds = sorted(
        draw(st.lists(st.integers(0, 100), min_size=1, max_size=MAX_BANDS, unique=True))
    )
    earned = sorted(draw(st.lists(points, min_size=len(thresholds), max_size=len(thresholds))))
    bands = [{"min_percent": t, "points": p} for t, p in zip(thresholds, earned, strict=True)]
    rule: dict[str, Any] = {"category": draw(names), "score_bands": draw(st.permutations(bands))}
    # Below every band pricing gives ``otherwise``, or 0 without it: never more than the bands.
    if thresholds[0] > 0 and (earned[0] < 0 or draw(st.booleans())):
        rule["otherwise"] = draw(st.integers(-MAX_POINTS, earned[0]))
    return rule


custom_rules = (
    st.fixed_dictionaries({"category": names, "points": points})
    | by_rule(names, st.dictionaries(st.text(min_size=1, max_size=64), points, min_size=1))
    | band_rules()
)


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    custom = draw(
        st.dictionaries(names.filter(lambda n: n not in BUILT_IN), custom_rules, max_size=3)
    )
    statuses = st.fixed_dictionaries({status: points for status in ATTENDANCE_STATUSES})
    ratings = st.dictionaries(st.text(min_size=1, max_size=MAX_RATING_LENGTH), points, min_size=1)
    built_in = {
        "attendance": draw(by_rule("status", statuses)),
        "quiz": draw(band_rules()),
        "practice_report": draw(by_rule("rating", ratings)),
    }
    return {"event_types": {**built_in, **custom}}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _similar_to(value: Any) -> st.SearchStrategy[Any]:
    """Same-typed values near the edges, so that many mutants are still accepted."""
    if isinstance(value, int):
        return st.integers(-1, 101) | st.integers(-MAX_POINTS - 1, MAX_POINTS + 1)
    if isinstance(value, str):
        return names | st.sampled_from([*ATTENDANCE_STATUSES, "A", "B", "C", "status"])
    return st.nothing()


@st.composite
def mutated_documents(draw: st.DrawFn) -> Any:
    doc = copy.deepcopy(draw(valid_documents()))
    path = draw(st.sampled_from(_paths(doc)[1:]))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key, operation = path[-1], draw(st.sampled_from(["replace", "delete", "add"]))
    if operation == "replace":
        parent[key] = draw(_similar_to(parent[key]) | plausible)
    elif operation == "delete":
        del parent[key]
    elif isinstance(parent[key], dict):
        parent[key][draw(st.text(max_size=12) | names)] = draw(plausible)
    elif isinstance(parent[key], list):
        parent[key].append(draw(plausible))
    else:
        parent[key] = draw(plausible)
    return doc


@st.composite
def quiz_results(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two results of one quiz that intake accepts, the first never the better."""
    if draw(st.booleans()):
        max_score: float = draw(st.integers(1, 1_000_000))
        scores = st.integers(0, int(max_score))
    else:
        max_score = draw(st.floats(0, 1_000_000, exclude_min=True))
        scores = st.floats(0, max_score)
    low, high = sorted([draw(scores), draw(scores)])
    return {"score": low, "max_score": max_score}, {"score": high, "max_score": max_score}


def assert_prices_everything(document: dict[str, Any], data: st.DataObject) -> None:
    # As the points service gets it: through JSON, from the database and the internal API.
    document = json.loads(json.dumps(document))
    rules = document["event_types"]
    events: list[tuple[str, dict[str, Any]]] = [
        ("attendance", {"status": status}) for status in ATTENDANCE_STATUSES
    ]
    # Practice ratings are the set's own scale: intake refuses the ones it does not map.
    events += [("practice_report", {"rating": r}) for r in rules["practice_report"]["points"]]
    for name, rule in rules.items():
        if name not in BUILT_IN and "by" in rule:
            events += [(name, {rule["by"]: value}) for value in rule["points"]]
        elif name not in BUILT_IN and "points" in rule:
            events.append((name, {}))
    lower, higher = data.draw(quiz_results())
    events += [("quiz", lower), ("quiz", higher)]
    for event_type, event_data in events:
        award = price(event_type, event_data, document, 3)
        assert type(award.points) is int and -MAX_POINTS <= award.points <= MAX_POINTS
        assert award.category == rules[event_type]["category"]
    worse, better = (price("quiz", result, document, 3).points for result in (lower, higher))
    assert worse <= better


@settings(max_examples=200)
@given(doc=valid_documents(), data=st.data())
def test_valid_documents_are_accepted_and_price_every_built_in_event(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    assert_prices_everything(DocumentSchema().load(copy.deepcopy(doc)), data)


@settings(max_examples=400)
@given(doc=mutated_documents(), data=st.data())
def test_any_accepted_document_prices_every_built_in_event(doc: Any, data: st.DataObject) -> None:
    try:
        loaded = DocumentSchema().load(doc)
    except ValidationError as exc:
        event("refused")
        assert isinstance(exc.messages, dict)
        return
    event("accepted")
    assert_prices_everything(loaded, data)


@given(value=json_values)
def test_arbitrary_json_is_refused_cleanly(value: Any) -> None:
    for candidate in (value, {"event_types": value}, {"event_types": {"quiz": value}}):
        try:
            DocumentSchema().load(candidate)
        except ValidationError:
            continue
        raise AssertionError(f"accepted {candidate!r}")
