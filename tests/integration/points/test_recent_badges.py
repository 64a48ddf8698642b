"""The latest badges across the organisation (``GET /api/v1/badges/recent``): newest first,
never a revoked one nor an inactive member's, at most ``limit`` (10 unless asked, 50 at most)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.common.db import utcnow
from services.points.models import BadgeAward, LedgerEntry, Member

KEY = {"X-Sender": "lobby-display", "X-Scopes": "read"}  # a system's read key, as sent on
QUIZ_MASTER = {"zh": "测验达人", "en": "Quiz master"}


def award(app: Flask, staff_no: str, code: str, hours_ago: int, revoked: bool = False) -> None:
    """A badge as the rule engine records it: its ledger entry, then the award."""
    at = utcnow() - timedelta(hours=hours_ago)
    with app.extensions["db"].write() as session:
        member = session.scalars(select(Member).where(Member.staff_no == staff_no)).one()
        entry = LedgerEntry(
            member_id=member.id, unit_id=member.unit_id, category="badge", points=5,
            rule_version=1, reason=f"Badge earned: {code}", detail={"kind": "badge"},
            occurred_at=at, local_date=date.today(),
        )  # fmt: skip
        session.add(entry)
        session.flush()
        session.add(
            BadgeAward(
                member_id=member.id, code=code, window=f"w{hours_ago}", entry_id=entry.id,
                title=QUIZ_MASTER if code == "quiz_master" else {"zh": "全勤", "en": "Present"},
                icon="trophy", rule_version=1, awarded_at=at,
                revoked_at=at + timedelta(minutes=5) if revoked else None,
            )
        )  # fmt: skip


def recent(client: FlaskClient, query: str = "") -> list[dict[str, object]]:
    answer = client.get(f"/api/v1/badges/recent{query}", headers=KEY)
    assert answer.status_code == 200, answer.get_json()
    return list(answer.get_json()["items"])


def test_the_latest_badges_held_newest_first_with_member_and_unit(
    org: FlaskClient, points_app: Flask
) -> None:
    assert recent(org) == []
    award(points_app, "S001", "quiz_master", hours_ago=3)
    award(points_app, "S002", "present", hours_ago=1)
    award(points_app, "S002", "quiz_master", hours_ago=2, revoked=True)  # a re-score took it
    award(points_app, "S003", "present", hours_ago=0)  # no longer active
    items = recent(org)
    held = [(b["member"], b["code"]) for b in items]
    assert held == [("S002", "present"), ("S001", "quiz_master")]
    first = items[1]
    assert first["name"] == "Li Na" and first["unit"] == "north-ops"
    assert first["title"] == QUIZ_MASTER and first["icon"] == "trophy"
    assert str(first["awarded_at"]).endswith("+00:00")


def test_limit_defaults_to_ten_and_is_bounded(org: FlaskClient, points_app: Flask) -> None:
    for hours in range(12):
        award(points_app, "S001", "present", hours_ago=hours)
    assert len(recent(org)) == 10
    assert [b["awarded_at"] for b in recent(org, "?limit=2")] == [
        b["awarded_at"] for b in recent(org)[:2]
    ]
    assert len(recent(org, "?limit=50")) == 12
    for bad in ("0", "51", "ten"):
        refused = org.get(f"/api/v1/badges/recent?limit={bad}", headers=KEY)
        assert refused.status_code == 422 and "limit" in refused.get_json()["errors"]["query"]
