"""Measure what the rule engine costs per event, alone and inside batch intake.

    .venv/bin/python -m bench.rules_cost [--events 20000] [--database-url sqlite:///...]

Intake runs in-process (no HTTP) against a fresh, migrated database: batches of 1,000 events
over 500 members, priced by a rule set with every feature in use (once per thing, caps,
floors, a campaign, a streak, badges), then by the default set (base pricing only).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from services.common.calendar import local_date
from services.common.db import Database
from services.common.migrations import upgrade
from services.points.intake import record as intake
from services.points.models import Member, Unit
from services.points.rules.published import RuleBook, RuleVersion
from services.rules import Fact, State, score
from tests.rules_examples import BASE

ZONE = "Asia/Shanghai"
DEFAULT = {
    "event_types": {
        name: {k: v for k, v in rule.items() if k not in ("once_per", "attempts")}
        for name, rule in BASE["event_types"].items()
    }
}


def events(count: int, start: datetime) -> list[dict[str, Any]]:
    made = []
    for i in range(count):
        kind = ("quiz", "attendance", "lecture_given", "practice_report")[i % 4]
        by_kind: dict[str, dict[str, Any]] = {
            "quiz": {"quiz": f"q{i % 7}", "score": i % 11, "max_score": 10},
            "attendance": {"status": "on_time", "session": f"s{i % 13}"},
            "lecture_given": {"topic": "t"},
            "practice_report": {"title": "r", "rating": "ABC"[i % 3]},
        }
        data = by_kind[kind]
        made.append(
            {
                "id": uuid.uuid4().hex,
                "type": kind,
                "member": f"M{i % 500:04d}",
                "occurred_at": start + timedelta(minutes=i % 3000),
                "data": data,
            }
        )
    return made


def engine_alone(sample: list[dict[str, Any]]) -> float:
    states: dict[str, State] = {}
    began = time.perf_counter()
    for e in sample:
        fact = Fact(e["type"], e["data"], e["occurred_at"], local_date(e["occurred_at"], ZONE))
        score(fact, BASE, 2, states.setdefault(e["member"], State()))
    return (time.perf_counter() - began) / len(sample)


def intake_rate(url: str, document: dict[str, Any], count: int) -> float:
    upgrade("services.points", url)
    db = Database(url)
    with db.write() as session:
        unit = Unit(code="u", name="u")
        session.add(unit)
        session.flush()
        session.add_all(Member(staff_no=f"M{i:04d}", name="m", unit_id=unit.id) for i in range(500))
    book = RuleBook([RuleVersion(2, datetime(2000, 1, 1, tzinfo=UTC), document)])
    now = datetime.now(UTC)
    sample = events(count, now - timedelta(days=3))
    began = time.perf_counter()
    for start in range(0, count, 1000):
        good, errors = intake.check_shapes(
            [
                {**e, "occurred_at": e["occurred_at"].isoformat()}
                for e in sample[start : start + 1000]
            ],
            now,
        )
        assert not errors
        with db.write() as session:
            outcomes = intake.record(session, "bench", good, book, ZONE, now)
        bad = [o for o in outcomes.values() if o.status != 201]
        assert not bad, bad[:1]
    elapsed = time.perf_counter() - began
    db.dispose()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    sample = events(args.events, datetime(2026, 7, 1, tzinfo=UTC))
    print(f"engine alone: {engine_alone(sample) * 1e6:.1f} us per event (every feature)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, document in (("every feature", BASE), ("base pricing only", DEFAULT)):
            url = args.database_url or f"sqlite:///{tmp}/{name.replace(' ', '_')}.db"
            rate = intake_rate(url, document, args.events)
            print(f"batch intake, {name}: {rate:,.0f} events/s ({1e6 / rate:.0f} us per event)")


if __name__ == "__main__":
    main()
