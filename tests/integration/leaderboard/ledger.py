"""The real points service as the leaderboard's jobs see it: served over HTTP, fed with events
through its public API, and read back as the boards its ledger says there must be."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import urllib3
from flask import Flask
from sqlalchemy import select

from services.common.internal_only import EXTENSION
from services.leaderboard.keys import boards_for
from services.points.models import LedgerEntry, Member, Unit
from tests.support import signed_call

# Units and members added to the shared organisation (tests/integration/conftest.py), so that
# entries land at every depth: north-ops (2), south (1), team-1 (3), north (1).
UNITS = (
    {"code": "south-a", "name": "South A", "parent": "south"},
    {"code": "team-1", "name": "Team 1", "parent": "south-a"},
)
MEMBERS = (
    {"staff_no": "S004", "name": "Chen Jie", "unit": "team-1"},
    {"staff_no": "S005", "name": "Zhou Lin", "unit": "north"},
)
EARNERS = ("S001", "S002", "S004", "S005")  # the active members
MOMENTS = (
    "2026-11-25T20:00:00+00:00",  # 26 Nov in the organisation's zone (Asia/Shanghai)
    "2026-11-24T09:00:00+08:00",
    "2026-11-23T07:00:00+08:00",  # the Monday of the same ISO week
    "2026-11-22T23:59:00+08:00",  # the Sunday of the week before
    "2020-12-31T17:00:00+00:00",  # 1 Jan 2021 locally: another day, week, month and year
    "2026-03-31T10:00:00+08:00",  # the last day of a quarter
)
# Priced by the default rule set: 10, 2, 6, -3, 8, 1 and 0 points.
KINDS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("quiz", {"quiz": "law-101", "score": 100, "max_score": 100}),
    ("attendance", {"status": "on_time", "session": "morning"}),
    ("quiz", {"quiz": "law-102", "score": 19, "max_score": 20}),
    ("attendance", {"status": "absent", "session": "morning"}),
    ("practice_report", {"title": "Site visit", "rating": "A"}),
    ("quiz", {"quiz": "law-103", "score": 1, "max_score": 3}),
    ("attendance", {"status": "late", "session": "evening"}),
)


def events(count: int, start: int = 0, prefix: str = "ev") -> list[dict[str, Any]]:
    """``count`` distinct events, mixing members, kinds and days (lengths 4, 6, 7: no cycle
    shorter than 84 events)."""
    made = []
    for i in range(start, start + count):
        kind, data = KINDS[i % len(KINDS)]
        made.append(
            {
                "id": f"{prefix}-{i}",
                "type": kind,
                "member": EARNERS[i % len(EARNERS)],
                "occurred_at": MOMENTS[i % len(MOMENTS)],
                "data": data,
            }
        )
    return made


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class PointsService:
    """The points app served at ``url``; ``app`` is the same app, for reading its database."""

    def __init__(self, url: str, app: Flask) -> None:
        self.url = url
        self.app = app
        # Signed with the app's own signer, as the other services call it.
        self.signer = app.extensions[EXTENSION]
        self.http = urllib3.PoolManager(maxsize=8, retries=False)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return signed_call(self.http, self.signer, self.url, method, path, body)

    def post_events(self, batch: list[dict[str, Any]]) -> None:
        """Record events as a sender would, in requests of at most 1000 (MAX_BATCH)."""
        for chunk in _chunks(batch, 1000):
            status, body = self.call("POST", "/api/v1/events", {"events": chunk})
            assert status == 201 and body["accepted"] == len(chunk), body

    def rename(self, staff_no: str, name: str) -> None:
        status, body = self.call("PATCH", f"/api/v1/members/{staff_no}", {"name": name})
        assert status == 200, body

    def outbox(self) -> list[dict[str, Any]]:
        status, body = self.call("GET", "/internal/v1/outbox?limit=10000")
        assert status == 200, body
        items: list[dict[str, Any]] = body["items"]
        return items

    def acknowledge(self, outbox_ids: list[int]) -> None:
        status, body = self.call("POST", "/internal/v1/outbox/ack", {"ids": outbox_ids})
        assert status == 200 and body["deleted"] == len(outbox_ids), body

    def member_totals(self) -> dict[str, int]:
        """Each member's total_points, as the public ledger endpoint reports it (staff numbers
        read from the database: every member at once, not a page of the listing)."""
        with self.app.extensions["db"].read() as session:
            staff_nos = session.scalars(select(Member.staff_no)).all()
        totals = {}
        for staff_no in staff_nos:
            status, ledger = self.call("GET", f"/api/v1/members/{staff_no}/ledger")
            assert status == 200, ledger
            if ledger["total"]:
                totals[staff_no] = ledger["total_points"]
        return totals

    def entries(self) -> list[dict[str, Any]]:
        """Every ledger row, read from the points database (not through the feed the jobs
        use), in the ENTRY form of docs/architecture.md."""
        with self.app.extensions["db"].read() as session:
            tree = {u.id: (u.code, u.parent_id) for u in session.scalars(select(Unit))}
            rows = session.execute(
                select(LedgerEntry, Member.staff_no, Member.name).join(
                    Member, Member.id == LedgerEntry.member_id
                )
            ).all()
        return [
            {
                "id": entry.id,
                "member": staff_no,
                "member_name": name,
                "unit_path": _path(tree, entry.unit_id),
                "category": entry.category,
                "points": entry.points,
                "local_date": entry.local_date.isoformat(),
            }
            for entry, staff_no, name in rows
        ]

    def boards(self) -> dict[str, dict[str, int]]:
        """Every board as {board: {member: points}}: the ledger's sums, each entry once."""
        boards: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for entry in self.entries():
            for board in boards_for(entry):
                boards[board][entry["member"]] += entry["points"]
        return {board: dict(members) for board, members in boards.items()}


def _path(tree: dict[int, tuple[str, int | None]], unit_id: int | None) -> list[str]:
    path: list[str] = []
    while unit_id is not None:
        code, unit_id = tree[unit_id]
        path.insert(0, code)
    return path
