"""The sections about the unit's people: the summary and the members' points by category.

Both count the members active in the unit (or below it) now, and every ledger entry of theirs
dated in the period (the entry's local date), wherever they were when it was made: the export
answers "what did this unit's people do", summed in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.points.exports.tables import Cell, Scope, Table, percent
from services.points.exports.words import CATEGORIES, _l
from services.points.models import LedgerEntry, Member, Unit


def _members(scope: Scope) -> Any:
    return select(Member.id).where(Member.unit_id.in_(scope.unit_ids), Member.active.is_(True))


def _in_period(scope: Scope) -> list[Any]:
    return [
        LedgerEntry.member_id.in_(_members(scope)),
        LedgerEntry.local_date >= scope.starts_on,
        LedgerEntry.local_date <= scope.ends_on,
    ]


def summary(session: Session, scope: Scope) -> Table:
    say = scope.say
    members = session.scalar(select(func.count()).select_from(_members(scope).subquery())) or 0
    total = session.scalar(select(func.sum(LedgerEntry.points)).where(*_in_period(scope))) or 0
    # Active: earned points at least once in the period (a deduction alone is not activity).
    active = session.scalar(
        select(func.count(func.distinct(LedgerEntry.member_id))).where(
            *_in_period(scope), LedgerEntry.points > 0
        )
    )
    period = f"{scope.starts_on.isoformat()} – {scope.ends_on.isoformat()}"
    rows: list[list[Cell]] = [
        [say(_l("Unit")), scope.unit_name],
        [say(_l("Unit code")), scope.unit_code],
        [say(_l("Period of the report")), period],
        [say(_l("Number of members")), members],
        [say(_l("Total points")), int(total)],
        [say(_l("Points per member")), round(total / members, 2) if members else None],
        [say(_l("Members who earned points")), active or 0],
        [say(_l("Activity rate (%)")), percent(active or 0, members)],
    ]
    return Table("summary", say(_l("Summary")), [say(_l("Item")), say(_l("Value"))], rows)


def members(session: Session, scope: Scope) -> Table:
    """One row per member, a column per category that has entries in the period, and the total."""
    say = scope.say
    sums = session.execute(
        select(LedgerEntry.member_id, LedgerEntry.category, func.sum(LedgerEntry.points))
        .where(*_in_period(scope))
        .group_by(LedgerEntry.member_id, LedgerEntry.category)
    )
    points: dict[int, dict[str, int]] = {}
    for member_id, category, total in sums:
        points.setdefault(member_id, {})[category] = int(total)
    categories = sorted({c for by in points.values() for c in by})
    people = session.execute(
        select(Member.id, Member.staff_no, Member.name, Unit.name)
        .join(Unit, Unit.id == Member.unit_id)
        .where(Member.id.in_(_members(scope)))
        .order_by(Member.staff_no)
    )
    headings = [say(_l("Staff number")), say(_l("Member name")), say(_l("Unit"))]
    headings += [say(CATEGORIES[c]) if c in CATEGORIES else c for c in categories]
    headings.append(say(_l("Total points")))
    rows: list[list[Cell]] = []
    for member_id, staff_no, name, unit_name in people:
        mine = points.get(member_id, {})
        by_category: list[Cell] = [mine.get(c, 0) for c in categories]
        rows.append([staff_no, name, unit_name, *by_category, sum(mine.values())])
    return Table("members", say(_l("Members' points")), headings, rows)
