"""Measure the near-copy check of a practice report's submission against many earlier ones.

    .venv/bin/python -m bench.report_similarity [--reports 100000] [--database-url sqlite:///...]

A fresh, migrated database gets ``--reports`` reports (synthetic text from a vocabulary of
3,000 words, 40-90 words each) with their buckets, then 200 submissions are checked as the
submit endpoint checks them (services/points/reports/similar.py ``check``): half are light
edits of an earlier report (a few words changed), half new text. It prints the time per check
(median, p95, max) and how many of the edited copies were found with their original.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from services.common.db import Database
from services.common.migrations import upgrade
from services.points.models import Member, Unit
from services.points.reports import similar
from services.points.reports.models import Bucket, Report

NOW = datetime(2026, 12, 1, tzinfo=UTC)
_LETTERS = random.Random(3)
WORDS = [
    "".join(_LETTERS.choice("abcdefghijklmnoprstuvwy") for _ in range(3 + i % 7))
    for i in range(3000)
]


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))


def row(i: int, body: str) -> dict[str, Any]:
    return {
        "id": i,
        "member_id": 1 + i % 1000,
        "unit_id": 1,
        "state": "submitted",
        "title": f"Report {i}",
        "learned_kind": "topic",
        "learned_text": "practice",
        "applied": body,
        "result": "fewer second visits",
        "links": {"items": []},
        "round": 1,
        "shared": False,
        "created_at": NOW,
        "updated_at": NOW,
        "submitted_at": NOW,
    }


def seed(db: Database, count: int, rng: random.Random) -> list[str]:
    bodies = [text(rng) for _ in range(count)]
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Report)):
            print("reusing the reports already in the database")  # --database-url, run again
            return bodies
    with db.write() as session:
        session.execute(insert(Unit), [{"id": 1, "code": "u", "name": "U"}])
        members = [
            {"id": m, "staff_no": f"M{m}", "name": "m", "unit_id": 1} for m in range(1, 1001)
        ]
        session.execute(insert(Member), members)
    started = time.perf_counter()
    for start in range(0, count, 5000):
        rows = [row(i + 1, bodies[i]) for i in range(start, min(start + 5000, count))]
        buckets = []
        for r in rows:
            report = Report(**r)
            hashes = similar.buckets(similar.text_of(report))
            buckets += [
                {"report_id": r["id"], "band": b, "bucket": h} for b, h in enumerate(hashes)
            ]
        with db.write() as session:
            session.execute(insert(Report), rows)
            session.execute(insert(Bucket), buckets)
    per = (time.perf_counter() - started) / count * 1000
    print(f"seeded {count} reports with their buckets: {per:.2f} ms a report")
    return bodies


def edited(body: str, rng: random.Random) -> str:
    words = body.split()
    for _ in range(3):
        words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


def measure(db: Database, bodies: list[str], rng: random.Random, threshold: int) -> None:
    """Each check in a transaction rolled back, so a run can be repeated on the same data."""
    times, finding, found, copies = [], [], 0, 0
    for n in range(200):
        original = rng.randrange(len(bodies)) + 1
        body = edited(bodies[original - 1], rng) if n % 2 == 0 else text(rng)
        with Session(db.engine) as session:
            report = Report(**{**row(len(bodies) + n + 1, body), "title": f"Report {original}"})
            session.add(report)
            session.flush()
            started = time.perf_counter()
            near = similar.nearest(
                session, report, similar.buckets(similar.text_of(report)), threshold
            )
            finding.append((time.perf_counter() - started) * 1000)
            matched = near is not None and near[0].id == original
            started = time.perf_counter()
            similar.check(session, report, threshold)  # as on submit: the index written too
            times.append((time.perf_counter() - started) * 1000)
            session.rollback()
        if n % 2 == 0:
            copies += 1
            found += matched
    for name, figures in (("finding the nearest", finding), ("the whole check", times)):
        figures.sort()
        p95 = figures[int(len(figures) * 0.95) - 1]
        print(
            f"{name} per submit: median {statistics.median(figures):.1f} ms, "
            f"p95 {p95:.1f} ms, max {figures[-1]:.1f} ms"
        )
    print(f"edited copies found with their original: {found}/{copies}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--threshold", type=int, default=85)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        upgrade("services.points", url)
        db = Database(url)
        rng = random.Random(7)
        bodies = seed(db, args.reports, rng)
        measure(db, bodies, rng, args.threshold)
        db.dispose()


if __name__ == "__main__":
    main()
