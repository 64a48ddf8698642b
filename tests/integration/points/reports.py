"""What the practice-report tests share: people's headers as the gateway sends them, a rubric,
a report body, and walking a report to a state."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


def person(staff_no: str, *roles: str) -> dict[str, str]:
    return {
        "X-Viewer": staff_no,
        "X-Roles": " ".join(["staff", *roles]),
        "X-Scopes": "read",
        "X-Sender": f"member:{staff_no}",
    }


AUTHOR = person("S001")  # in north-ops
OTHER = person("S002")  # in south
NORTH = [person(f"R00{i}", "reviewer@north") for i in (1, 2, 3)]
SOUTH_REVIEWER = person("R009", "reviewer@south")
NORTH_ADMIN = person("A001", "admin@north")
ORG_ADMIN = {**person("A000", "admin"), "X-Scopes": "admin"}

RUBRIC: dict[str, Any] = {
    "name": "practice",
    "criteria": [
        {"code": "relevance", "title": "Relevance to the learning", "max": 5, "weight": 1},
        {"code": "effect", "title": "Real effect on the work", "max": 5, "weight": 2},
        {"code": "spread", "title": "Spread to colleagues", "max": 5, "weight": 1},
    ],
    "bands": [
        {"min_total": 85, "rating": "A"},
        {"min_total": 65, "rating": "B"},
        {"min_total": 40, "rating": "C"},
        {"min_total": 0, "rating": None},
    ],
}
TOP = {"relevance": 5, "effect": 5, "spread": 5}  # 100
GOOD = {"relevance": 4, "effect": 4, "spread": 3}  # 75
POOR = {"relevance": 1, "effect": 1, "spread": 1}  # 20

BODY: dict[str, Any] = {
    "title": "Filing appeals in one visit",
    "learned": {"kind": "course", "ref": "C-2026-11"},
    "applied": "After the session on the new procedure our counter checks every document "
    "at the first visit and tells the applicant what is missing in writing.",
    "result": "Second visits fell from about forty a week to twelve over the month.",
    "links": ["https://intranet.example/notes/12"],
}


def rubric(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/report-rubrics", json={**RUBRIC, **changes}, headers=ORG_ADMIN)
    assert answer.status_code == 201, answer.get_json()
    return dict(answer.get_json())


def draft(client: FlaskClient, who: dict[str, str] = AUTHOR, **changes: Any) -> int:
    answer = client.post("/api/v1/reports", json={**BODY, **changes}, headers=who)
    assert answer.status_code == 201, answer.get_json()
    return int(answer.get_json()["id"])


def submitted(client: FlaskClient, who: dict[str, str] = AUTHOR, **changes: Any) -> int:
    report = draft(client, who, **changes)
    answer = client.post(f"/api/v1/reports/{report}/submit", headers=who)
    assert answer.status_code == 200, answer.get_json()
    return report


def scored(
    client: FlaskClient, report: int, who: dict[str, str], scores: dict[str, int]
) -> dict[str, Any]:
    answer = client.post(f"/api/v1/reports/{report}/scores", json={"scores": scores}, headers=who)
    assert answer.status_code == 200, answer.get_json()
    return dict(answer.get_json())


def ledger(client: FlaskClient, staff_no: str = "S001") -> dict[str, Any]:
    return dict(client.get(f"/api/v1/members/{staff_no}/ledger").get_json())
