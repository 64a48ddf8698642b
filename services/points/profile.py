"""A member's profile: lifetime points and level, badges, and streak, as the rules in force
now describe them (levels and the streak's unit come from the version active today). Badges a
re-score revoked are listed apart, with when and by which entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.points import org
from services.points.ledger.audit import lifetime_points
from services.points.models import BadgeAward, RuleState
from services.points.rules.published import RuleVersion
from services.rules import level_for
from services.rules.streaks import keys as streak_keys
from services.rules.streaks import standing


def profile(
    session: Session, staff_no: str, rule: RuleVersion, zone_name: str, now: datetime
) -> dict[str, Any]:
    member = org.member_by_staff_no(session, staff_no)
    total = lifetime_points(session, member.id)
    badges = list(
        session.scalars(
            select(BadgeAward).where(BadgeAward.member_id == member.id).order_by(BadgeAward.id)
        )
    )
    config = rule.document.get("streak")
    streak = None
    if config:
        rows = session.execute(
            select(RuleState.key, RuleState.value).where(
                RuleState.member_id == member.id, RuleState.key.in_(streak_keys(config))
            )
        )
        values: dict[str, int] = {key: value for key, value in rows}
        streak = standing(config, values, local_date(now, zone_name))
    return {
        "member": staff_no,
        "name": member.name,
        "total_points": total,
        "level": level_for(total, rule.document.get("levels", [])),
        "badges": [_badge(b) for b in badges if b.revoked_at is None],
        "revoked_badges": [
            {
                **_badge(b),
                "revoked_at": b.revoked_at.isoformat(),
                "revoked_entry_id": b.revoked_entry_id,
            }
            for b in badges
            if b.revoked_at is not None
        ],
        "streak": streak,
        "rule_version": rule.version,
    }


def _badge(award: BadgeAward) -> dict[str, Any]:
    return {
        "code": award.code,
        "title": award.title,
        "icon": award.icon,
        "window": award.window,
        "awarded_at": award.awarded_at.isoformat(),
        "rule_version": award.rule_version,
        "entry_id": award.entry_id,
    }
