"""A key's limits at intake: the gateway's signed headers narrow the event types a key may post
and the units (with every unit below) whose members it may post for. An event outside them is
refused with 403 naming it; a batch with any is refused whole, naming each by position, and
nothing is recorded. The org fixture: north > north-ops (S001), south (S002; S003 inactive)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.common.internal_only import EXTENSION
from services.points.models import Event, LedgerEntry

EVENTS = "/api/v1/events"
NORTH_QUIZ = {"X-Sender": "north-quiz", "X-Key-Event-Types": "quiz", "X-Key-Units": "north"}


def quiz(event_id: str, member: str = "S001") -> dict[str, Any]:
    data = {"quiz": "law-101", "score": 92, "max_score": 100}
    return {"id": event_id, "type": "quiz", "member": member,
            "occurred_at": "2026-11-20T10:00:00+08:00", "data": data}  # fmt: skip


def attendance(event_id: str, member: str = "S001") -> dict[str, Any]:
    data = {"status": "on_time", "session": "study-2026-11-20"}
    return {"id": event_id, "type": "attendance", "member": member,
            "occurred_at": "2026-11-20T09:00:00+08:00", "data": data}  # fmt: skip


def stored(app: Flask) -> tuple[int, int]:
    with app.extensions["db"].read() as session:
        return (
            session.scalar(select(func.count()).select_from(Event)) or 0,
            session.scalar(select(func.count()).select_from(LedgerEntry)) or 0,
        )


def test_an_event_within_the_limits_is_recorded(org: FlaskClient, points_app: Flask) -> None:
    # S001 is in north-ops, a unit below north: the limit holds for the whole subtree.
    answer = org.post(EVENTS, json=quiz("q-1", "S001"), headers=NORTH_QUIZ)
    assert answer.status_code == 201, answer.json
    assert stored(points_app) == (1, 1)
    again = org.post(EVENTS, json=quiz("q-1", "S001"), headers=NORTH_QUIZ)
    assert again.status_code == 200 and again.json["duplicate"] is True


def test_an_event_of_another_type_is_refused_naming_it(org: FlaskClient, points_app: Flask):
    answer = org.post(EVENTS, json=attendance("a-1"), headers=NORTH_QUIZ)
    assert answer.status_code == 403, answer.json
    assert answer.json["message"] == (
        "Event 'a-1': type 'attendance' is not one this key may post (quiz). Nothing was recorded."
    )
    assert stored(points_app) == (0, 0)


def test_an_event_for_a_member_outside_the_units_is_refused(org: FlaskClient, points_app: Flask):
    answer = org.post(EVENTS, json=quiz("q-2", "S002"), headers=NORTH_QUIZ)
    assert answer.status_code == 403, answer.json
    message = answer.json["message"]
    assert "Event 'q-2'" in message and "member 'S002' is not in this key's units" in message
    both = org.post(EVENTS, json=attendance("a-2", "S002"), headers=NORTH_QUIZ).json["message"]
    assert "type 'attendance'" in both and "member 'S002'" in both
    assert stored(points_app) == (0, 0)


def test_a_unit_limit_alone_lets_every_type_through(org: FlaskClient, points_app: Flask):
    south = {"X-Sender": "south-terminal", "X-Key-Units": "south"}
    assert org.post(EVENTS, json=attendance("a-3", "S002"), headers=south).status_code == 201
    assert org.post(EVENTS, json=quiz("q-3", "S002"), headers=south).status_code == 201
    # A sub-unit's key does not reach up: north-ops holds S001, not the rest of north.
    ops = {"X-Sender": "ops", "X-Key-Units": "north-ops"}
    assert org.post(EVENTS, json=quiz("q-4", "S001"), headers=ops).status_code == 201
    assert org.post(EVENTS, json=quiz("q-5", "S002"), headers=ops).status_code == 403
    assert stored(points_app)[0] == 3


def test_a_batch_with_any_event_outside_is_refused_whole_by_position(
    org: FlaskClient, points_app: Flask
) -> None:
    batch = [quiz("b-0"), attendance("b-1"), quiz("b-2"), quiz("b-3", "S002"), {"bad": 1}]
    answer = org.post(EVENTS, json={"events": batch}, headers=NORTH_QUIZ)
    assert answer.status_code == 403, answer.json
    assert answer.json["message"] == (
        "Events at positions 1, 3 are outside this key's limits; nothing was recorded."
    )
    refused = answer.json["errors"]["json"]["events"]
    assert set(refused) == {"1", "3"}
    assert "Event 'b-1'" in refused["1"][0] and "member 'S002'" in refused["3"][0]
    assert stored(points_app) == (0, 0)


def test_a_batch_within_the_limits_is_reported_as_ever(org: FlaskClient, points_app: Flask):
    # Unknown and inactive members are not the limits' business: they are reported as always.
    batch = [quiz("c-0"), quiz("c-1", "S404"), {"bad": 1}]
    answer = org.post(EVENTS, json={"events": batch}, headers=NORTH_QUIZ)
    assert answer.status_code == 207, answer.json
    assert [r["status"] for r in answer.json["results"]] == [201, 422, 422]
    assert stored(points_app)[0] == 1


def test_a_limit_header_changed_after_signing_is_refused(org: FlaskClient, points_app: Flask):
    signer = points_app.extensions[EXTENSION]
    headers = signer.signed("POST", EVENTS, {**NORTH_QUIZ, "Content-Type": "application/json"})
    as_signed = points_app.test_client(signed=False).post(
        EVENTS, json=quiz("d-1", "S002"), headers=headers
    )
    assert as_signed.status_code == 403  # the signature holds; the limits refuse S002
    for widened in ({"X-Key-Units": "south"}, {"X-Key-Event-Types": "attendance quiz"}):
        stranger = points_app.test_client(signed=False)
        answer = stranger.post(EVENTS, json=quiz("d-1", "S002"), headers={**headers, **widened})
        assert answer.status_code == 401, answer.json
    dropped = {k: v for k, v in headers.items() if k != "X-Key-Units"}
    answer = points_app.test_client(signed=False).post(
        EVENTS, json=quiz("d-1", "S002"), headers=dropped
    )
    assert answer.status_code == 401
    assert stored(points_app) == (0, 0)
