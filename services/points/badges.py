"""The badges awarded lately across the whole organisation, newest first: what a lobby or an
intranet page shows to say who earned what. Revoked badges (taken back by a re-score) are
never listed, nor those of members no longer active, whom the boards no longer show either."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.points.models import BadgeAward, Member, Unit


def recent(session: Session, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` latest badges held now, with their member and the member's unit."""
    rows = session.execute(
        select(BadgeAward, Member.staff_no, Member.name, Unit.code)
        .join(Member, Member.id == BadgeAward.member_id)
        .join(Unit, Unit.id == Member.unit_id)
        .where(BadgeAward.revoked_at.is_(None), Member.active.is_(True))
        .order_by(BadgeAward.awarded_at.desc(), BadgeAward.id.desc())
        .limit(limit)
    )
    return [
        {
            "member": staff_no,
            "name": name,
            "unit": unit,
            "code": award.code,
            "title": award.title,
            "icon": award.icon,
            "awarded_at": award.awarded_at.isoformat(),
        }
        for award, staff_no, name, unit in rows
    ]
