"""What the study-session tests share: sessions at times relative to now, sign-ins, and the
ledger's sums read from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.points.models import Event, LedgerEntry, Member

ORG_ADMIN = {"X-Roles": "admin staff", "X-Viewer": "A000", "X-Scopes": "admin"}
NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
SOUTH_ADMIN = {"X-Roles": "admin@south staff", "X-Viewer": "A002", "X-Scopes": "read"}


def person(staff_no: str) -> dict[str, str]:
    return {"X-Roles": "staff", "X-Viewer": staff_no, "X-Scopes": "read"}


def iso(instant: datetime) -> str:
    return instant.isoformat(timespec="seconds")


def schedule(
    client: FlaskClient, units: list[str], members: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    """A session that started an hour ago and ended ten minutes ago, unless told otherwise."""
    headers = extra.pop("headers", ORG_ADMIN)
    now = datetime.now(UTC).replace(microsecond=0)
    body = {
        "title": "Law study",
        "starts_at": iso(now - timedelta(hours=1)),
        "ends_at": iso(now - timedelta(minutes=10)),
        "place": "Room 3",
        "lecturer": "Prof. Qian",
        "expected": {"units": units, "members": members or []},
        **extra,
    }
    made = client.post("/api/v1/sessions", json=body, headers=headers)
    assert made.status_code == 201, made.get_json()
    answer: dict[str, Any] = made.get_json()
    return answer


def sign_in(
    session_id: str, member: str, at: str, event_id: str | None = None, **data: Any
) -> dict[str, Any]:
    return {
        "id": event_id or f"terminal:{session_id}:{member}",
        "type": "attendance",
        "member": member,
        "occurred_at": at,
        "data": {"session": session_id, **data},
    }


def at_minutes(session: dict[str, Any], minutes: int) -> str:
    return iso(datetime.fromisoformat(session["starts_at"]) + timedelta(minutes=minutes))


def net(app: Flask, staff_no: str) -> int:
    with app.extensions["db"].read() as session:
        member = session.scalar(select(Member.id).where(Member.staff_no == staff_no))
        total = session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(
                LedgerEntry.member_id == member
            )
        )
    return int(total or 0)


def platform_events(app: Flask) -> list[str]:
    with app.extensions["db"].read() as session:
        query = select(Event.external_id).where(Event.sender == "platform:sessions")
        return sorted(session.scalars(query))


def add_members(client: FlaskClient, *rows: tuple[str, str]) -> None:
    for staff_no, unit in rows:
        body = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert client.post("/api/v1/members", json=body).status_code == 201
