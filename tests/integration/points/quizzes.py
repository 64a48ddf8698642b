"""What the quiz tests share: callers as the gateway sends them, quizzes and scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

ORG_ADMIN = {"X-Roles": "admin staff", "X-Viewer": "A000", "X-Scopes": "admin"}
NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
NORTH_REVIEWER = {"X-Roles": "reviewer@north staff", "X-Viewer": "R001", "X-Scopes": "read"}
ADMIN_KEY = {"X-Sender": "lms", "X-Scopes": "admin"}
SENDER = {"X-Sender": "lms", "X-Scopes": "events"}


def staff(staff_no: str) -> dict[str, str]:
    return {"X-Roles": "staff", "X-Viewer": staff_no, "X-Scopes": "read"}


def at(hours: float) -> str:
    """An instant ``hours`` from now (negative: ago), ISO with offset."""
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")


def quiz_body(code: str, opens: float, closes: float, **changes: Any) -> dict[str, Any]:
    body = {
        "id": code,
        "title": f"Quiz {code}",
        "opens_at": at(opens),
        "closes_at": at(closes),
        "max_score": 50,
        "pass_mark": 30,
        "units": ["north"],
        **changes,
    }
    return body


def make(client: FlaskClient, code: str, opens: float, closes: float, **changes: Any) -> Any:
    answer = client.post(
        "/api/v1/quizzes", json=quiz_body(code, opens, closes, **changes), headers=ORG_ADMIN
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def score(
    code: str, member: str, value: float, hours: float, event_id: str | None = None, **data: Any
) -> dict[str, Any]:
    return {
        "id": event_id or f"{code}:{member}:{value}:{hours}",
        "type": "quiz",
        "member": member,
        "occurred_at": at(hours),
        "data": {"quiz": code, "score": value, **data},
    }
