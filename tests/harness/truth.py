"""The ledger, read straight from the points database, against the boards read through the
gateway: the two sides of every "the projection equals the truth" check."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select

from services.common.db import make_engine
from services.points.models import LedgerEntry, Member

Call = Callable[..., Any]


def ledger_totals(url: str) -> dict[str, int]:
    """Each member's sum of ledger points (members with none left out)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Member.staff_no, func.sum(LedgerEntry.points))
                .join(Member, Member.id == LedgerEntry.member_id)
                .group_by(Member.staff_no)
            ).all()
    finally:
        engine.dispose()
    return {staff_no: int(total) for staff_no, total in rows if total}


def count(url: str, model: Any) -> int:
    """Rows of a points table."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def board_totals(call: Call) -> dict[str, int]:
    """The whole-organisation all-time board, read page by page through the gateway."""
    totals: dict[str, int] = {}
    offset = 0
    while True:
        status, page, _ = call(
            "GET", f"/api/v1/leaderboard?scope=org&period=all&limit=100&offset={offset}"
        )
        assert status == 200, page
        for row in page["items"]:
            if row["points"]:
                totals[row["member"]] = row["points"]
        offset += 100
        if offset >= page["total"]:
            return totals


def difference(board: dict[str, int], ledger: dict[str, int]) -> str:
    keys = sorted(set(board) | set(ledger))
    wrong = [(k, board.get(k), ledger.get(k)) for k in keys if board.get(k) != ledger.get(k)]
    return f"{len(wrong)} members differ (member, board, ledger): {wrong[:10]}"


@contextmanager
def locked(url: str) -> Iterator[None]:
    """The points database locked by another client for the block: all of SQLite's file
    (an exclusive transaction), or PostgreSQL's ledger table, which intake writes after
    its events, so a refused request has something it must not leave behind."""
    engine = make_engine(url)
    release, held = threading.Event(), threading.Event()

    def hold() -> None:
        raw = engine.raw_connection()  # the driver's own: no transaction SQLAlchemy began
        try:
            if url.startswith("sqlite"):
                raw.cursor().execute("BEGIN EXCLUSIVE")
            else:
                raw.cursor().execute(f"LOCK TABLE {LedgerEntry.__tablename__}")
            held.set()
            release.wait(60)
            raw.rollback()
        finally:
            raw.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        yield
    finally:
        release.set()
        holder.join()
        engine.dispose()
