"""What the survey tests share: an organisation with enough members to pass the threshold,
a small survey, rounds opened now, and answers given as each member."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

ORG_ADMIN = {"X-Roles": "admin staff", "X-Viewer": "A000", "X-Scopes": "admin"}
NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
SOUTH_ADMIN = {"X-Roles": "admin@south staff", "X-Viewer": "A002", "X-Scopes": "read"}
ADMIN_KEY = {"X-Sender": "hr", "X-Scopes": "admin"}
SURVEYS = "/api/v1/surveys"
# north (6 in north-ops, 1 in north itself), south (5).
NORTH = [f"N{i}" for i in range(1, 7)]
SOUTH = [f"S{i}" for i in range(1, 6)]

QUESTIONS = [
    {"key": "linked", "kind": "agree", "text": "Learning and work are closely linked."},
    {
        "key": "often",
        "kind": "single",
        "text": "How often do you study?",
        "options": [
            {"key": "weekly", "text": "Each week"},
            {"key": "monthly", "text": "Each month"},
            {"key": "rarely", "text": "Rarely"},
        ],
        "favourable": ["weekly"],
    },
    {
        "key": "factors",
        "kind": "multiple",
        "text": "What holds study back?",
        "options": [
            {"key": "time", "text": "Time"},
            {"key": "plan", "text": "The plan"},
            {"key": "purpose", "text": "The purpose"},
        ],
    },
    {"key": "ideas", "kind": "text", "text": "Ideas?"},
]


def staff(staff_no: str) -> dict[str, str]:
    return {"X-Roles": "staff", "X-Viewer": staff_no, "X-Scopes": "read"}


def at(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")


def organisation(client: FlaskClient) -> FlaskClient:
    for unit in (
        {"code": "north", "name": "North"},
        {"code": "south", "name": "South"},
        {"code": "north-ops", "name": "North operations", "parent": "north"},
    ):
        assert client.post("/api/v1/units", json=unit).status_code == 201
    people = [(n, "north-ops") for n in NORTH] + [("N7", "north")] + [(s, "south") for s in SOUTH]
    for staff_no, unit in people:
        body = {"staff_no": staff_no, "name": f"Member {staff_no}", "unit": unit}
        assert client.post("/api/v1/members", json=body).status_code == 201
    return client


def make_survey(client: FlaskClient, code: str = "pulse") -> Any:
    body = {"id": code, "title": "Pulse", "questions": QUESTIONS}
    made = client.post(SURVEYS, json=body, headers=ORG_ADMIN)
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def open_round(
    client: FlaskClient, units: list[str], code: str = "pulse", headers: Any = None, **more: Any
) -> Any:
    body = {"units": units, "opens_at": at(-1), "closes_at": at(24), **more}
    return client.post(f"{SURVEYS}/{code}/rounds", json=body, headers=headers or ORG_ADMIN)


def reply(client: FlaskClient, staff_no: str, number: int, **answers: Any) -> Any:
    path = f"{SURVEYS}/pulse/rounds/{number}/answers"
    return client.post(path, json={"answers": answers}, headers=staff(staff_no))


def close(client: FlaskClient, number: int, headers: Any = None) -> Any:
    path = f"{SURVEYS}/pulse/rounds/{number}/close"
    return client.post(path, headers=headers or ORG_ADMIN)
