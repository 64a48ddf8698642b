"""What the figures tests share: callers, a small organisation, and ledger entries on known
local days (written as the ledger writes them, for days the intake cannot reach)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.common.calendar import today, zone
from services.points.models import LedgerEntry, Member

ZONE = "Asia/Shanghai"
ORG_ADMIN = {"X-Roles": "admin staff", "X-Viewer": "A000", "X-Scopes": "admin"}
NORTH_ADMIN = {"X-Roles": "admin@north staff", "X-Viewer": "A001", "X-Scopes": "read"}
SOUTH_ADMIN = {"X-Roles": "admin@south staff", "X-Viewer": "A002", "X-Scopes": "read"}
NORTH_REVIEWER = {"X-Roles": "reviewer@north staff", "X-Viewer": "R001", "X-Scopes": "read"}
STAFF = {"X-Roles": "staff", "X-Viewer": "S001", "X-Scopes": "read"}
# Besides the org fixture's S001 (north-ops), S002 (south) and S003 (south, inactive).
MORE = (("N1", "north"), ("N2", "north"), ("O1", "north-ops"), ("W1", "south"))


def local_today() -> date:
    return today(ZONE)


def grow(client: FlaskClient) -> None:
    """North: N1 (leader), N2, and below it north-ops: S001, O1. South: S002 (leader), W1."""
    for staff_no, unit in MORE:
        body = {"staff_no": staff_no, "name": staff_no, "unit": unit}
        assert client.post("/api/v1/members", json=body).status_code == 201
    for leader in ("N1", "S002"):
        answer = client.put(f"/api/v1/members/{leader}/leader", headers=ORG_ADMIN)
        assert answer.status_code == 200, answer.get_json()


def credit(app: Flask, staff_no: str, day: date, points: int) -> None:
    """A ledger entry at noon of local ``day``, in the member's unit."""
    with app.extensions["db"].write() as session:
        member = session.scalar(select(Member).where(Member.staff_no == staff_no))
        assert member is not None
        noon = datetime.combine(day, time(12), zone(ZONE))
        session.add(
            LedgerEntry(
                member_id=member.id,
                unit_id=member.unit_id,
                category="adjustment",
                points=points,
                rule_version=None,
                reason="test",
                detail={},
                occurred_at=noon,
                local_date=day,
            )
        )


def days_ago(count: int) -> date:
    return local_today() - timedelta(days=count)


def get(client: FlaskClient, path: str, headers: dict[str, str] = ORG_ADMIN) -> Any:
    answer = client.get(path, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()
