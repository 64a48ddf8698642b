"""Reading the archive of closed periods (written by ``archive.py``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.leaderboard.models import Archive, ArchiveRow


def archived_board(
    session: Session, scope: str, period_key: str, category: str, limit: int, offset: int
) -> dict[str, Any] | None:
    board = session.scalar(
        select(Archive).where(
            Archive.scope == scope, Archive.period_key == period_key, Archive.category == category
        )
    )
    if board is None:
        return None
    rows = session.scalars(
        select(ArchiveRow)
        .where(ArchiveRow.archive_id == board.id)
        .order_by(ArchiveRow.position)
        .limit(limit)
        .offset(offset)
    )
    return {
        "archived_at": board.archived_at.isoformat(),
        "total": board.members,
        "items": [
            {"rank": r.rank, "member": r.staff_no, "name": r.name, "points": r.points} for r in rows
        ],
    }


def member_history(
    session: Session, staff_no: str, scope: str, period: str, category: str, limit: int
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Archive.period_key, Archive.members, ArchiveRow.rank, ArchiveRow.points)
        .join(ArchiveRow, ArchiveRow.archive_id == Archive.id)
        .where(
            ArchiveRow.staff_no == staff_no,
            Archive.scope == scope,
            Archive.period == period,
            Archive.category == category,
        )
        .order_by(Archive.period_key.desc())
        .limit(limit)
    )
    return [
        {"period_key": key, "rank": rank, "points": points, "total": total}
        for key, total, rank, points in rows
    ]


def archived_periods(session: Session, period: str) -> list[str]:
    rows = session.scalars(
        select(Archive.period_key)
        .where(Archive.period == period)
        .group_by(Archive.period_key)
        .order_by(func.max(Archive.period_key).desc())
    )
    return list(rows)
