"""What a member can still earn today under the caps of the rule set in force now, from the
cap usage intake keeps (``points_rule_state``), for the leaderboard's catch-up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.common.calendar import local_date
from services.common.rules import Remaining, remaining_today, usage_keys
from services.points import org
from services.points.rules import RuleVersion
from services.points.scoring import load_state


def remaining_for(
    session: Session, staff_no: str, rule: RuleVersion, zone_name: str, now: datetime
) -> Remaining:
    """What the member can still earn on today's local date (404 for an unknown member)."""
    member = org.member_by_staff_no(session, staff_no)
    today = local_date(now, zone_name)
    keys = usage_keys(rule.document, today)
    usage = load_state(session, {member.id: set(keys)}).get(member.id, {})
    return remaining_today(rule.document, usage, today)
