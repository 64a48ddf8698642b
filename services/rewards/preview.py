"""What-if: a draft run over the real events of a period, without writing anything.

The rewards service reads the period's events (and what each earned) from the points service,
replays them through the rule engine under the draft from an empty state at the period's start,
and compares per member and per unit. Badges the draft would award are counted, not compared.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from statistics import mean, quantiles
from typing import Any

from services.common.calendar import local_date
from services.common.http import ServiceClient
from services.rules import Fact, replay

MOVERS = 10
# Edges of the histogram of per-member changes: (label, lowest, highest) inclusive.
BUCKETS = [
    ("<= -50", None, -50),
    ("-49..-10", -49, -10),
    ("-9..-1", -9, -1),
    ("0", 0, 0),
    ("1..9", 1, 9),
    ("10..49", 10, 49),
    (">= 50", 50, None),
]


def fetch_events(client: ServiceClient, start: date, end: date) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after: int | None = 0
    while after is not None:
        page = client.get(
            "/internal/v1/rules/events",
            **{"from": start.isoformat(), "to": end.isoformat()},
            after_id=after,
            limit=5000,
        )
        items += page["items"]
        after = page["next_after_id"]
    return items


def run(events: list[dict[str, Any]], document: dict[str, Any], zone_name: str) -> dict[str, Any]:
    ordered = sorted(events, key=lambda e: (datetime.fromisoformat(e["occurred_at"]), e["id"]))
    facts = []
    for event in ordered:
        instant = datetime.fromisoformat(event["occurred_at"])
        fact = Fact(event["type"], event["data"], instant, local_date(instant, zone_name))
        facts.append((event["member"], fact))
    known = set(document["event_types"])
    priced = [pair for pair in facts if pair[1].type in known]
    results = iter(replay(priced, lambda _fact: (document, 0)))
    members: dict[str, dict[str, Any]] = {}
    skipped = 0
    for event, (_, fact) in zip(ordered, facts, strict=True):
        row = members.setdefault(
            event["member"],
            {
                "member": event["member"],
                "unit_path": event["unit_path"],
                "before": 0,
                "after": 0,
                "badges": 0,
            },
        )
        row["before"] += sum(event["earned"].values())
        if fact.type not in known:
            skipped += 1
            row["after"] += sum(event["earned"].values())
            continue
        for entry in next(results):
            if entry.kind == "badge":
                row["badges"] += 1
            else:
                row["after"] += entry.points
    return summarise(list(members.values()), len(ordered), skipped)


def summarise(rows: list[dict[str, Any]], events: int, skipped: int) -> dict[str, Any]:
    for row in rows:
        row["change"] = row["after"] - row["before"]
    rows.sort(key=lambda r: (-abs(r["change"]), r["member"]))
    return {
        "events": events,
        "events_kept_as_they_are": skipped,
        "members": rows,
        "units": _units(rows),
        "totals": {
            "before": sum(r["before"] for r in rows),
            "after": sum(r["after"] for r in rows),
            "badges": sum(r["badges"] for r in rows),
        },
        "distribution": {
            "before": _stats([r["before"] for r in rows]),
            "after": _stats([r["after"] for r in rows]),
            "change": _histogram([r["change"] for r in rows]),
        },
        "movers": {
            "up": _top(rows, lambda r: -r["change"], lambda r: r["change"] > 0),
            "down": _top(rows, lambda r: r["change"], lambda r: r["change"] < 0),
        },
    }


def _units(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}
    for row in rows:
        for code in row["unit_path"]:
            unit = units.setdefault(code, {"unit": code, "members": 0, "before": 0, "after": 0})
            unit["members"] += 1
            unit["before"] += row["before"]
            unit["after"] += row["after"]
    for unit in units.values():
        unit["change"] = unit["after"] - unit["before"]
    return sorted(units.values(), key=lambda u: (-abs(u["change"]), u["unit"]))


def _stats(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"members": 0}
    cuts = quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return {
        "members": len(values),
        "min": min(values),
        "p25": cuts[0],
        "median": cuts[1],
        "p75": cuts[2],
        "max": max(values),
        "mean": round(mean(values), 2),
    }


def _histogram(values: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "change": label,
            "members": sum(
                1 for v in values if (low is None or v >= low) and (high is None or v <= high)
            ),
        }
        for label, low, high in BUCKETS
    ]


def _top(
    rows: list[dict[str, Any]],
    order: Callable[[dict[str, Any]], int],
    keep: Callable[[dict[str, Any]], bool],
) -> list[dict[str, Any]]:
    chosen = sorted((r for r in rows if keep(r)), key=lambda r: (order(r), r["member"]))
    return [{k: r[k] for k in ("member", "before", "after", "change")} for r in chosen[:MOVERS]]
