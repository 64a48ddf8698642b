"""Ledger entries in the ENTRY form of docs/architecture.md, and the points service's
settled-sums feed reproduced from them; ledgers made to try it: entries at every depth of a
unit tree, a unit that moved, a category literally named "total", penalties and zero points,
days on either side of week, quarter and year ends. Shared by the unit and integration tiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from hypothesis import strategies as st


def make_entry(
    entry_id: int,
    member: str = "S0001",
    points: int = 5,
    *,
    category: str = "quiz",
    unit_path: tuple[str, ...] = ("north", "north-ops"),
    local_date: str = "2026-11-26",
    name: str | None = None,
) -> dict:
    """One ledger entry as the points service hands it to the leaderboard."""
    return {
        "id": entry_id,
        "member": member,
        "member_name": name or f"Name of {member}",
        "unit_path": list(unit_path),
        "category": category,
        "points": points,
        "local_date": local_date,
    }


def feed_pages(entries: Iterable[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """Entries by id, ``size`` a page, each page summed per unit path, category, day and
    member, as ``GET /internal/v1/ledger/settled-sums`` answers."""
    ordered = sorted({e["id"]: e for e in entries}.values(), key=lambda e: e["id"])
    pages = []
    for start in range(0, len(ordered), size):
        page = ordered[start : start + size]
        sums: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        earned: dict[tuple[Any, ...], set[str]] = defaultdict(set)
        for e in page:
            shape = (tuple(e["unit_path"]), e["category"], e["local_date"])
            sums[shape][e["member"]] += e["points"]
            if e["points"] > 0:
                earned[shape].add(e["member"])
        items = [
            {
                "unit_path": list(path),
                "category": category,
                "local_date": day,
                "members": list(members),
                "points": list(members.values()),
                "earned": sorted(earned[(path, category, day)]),
            }
            for (path, category, day), members in sums.items()
        ]
        pages.append({"items": items, "entries": len(page)})
    return pages


PATHS = (
    (),
    ("north",),
    ("north", "north-ops"),
    ("south",),
    ("south", "south-a", "team-1"),
    ("north", "team-1"),  # team-1 moved under north between two pages of the ledger
)
DAYS = (
    "2020-12-31",  # Thursday of 2020-W53
    "2021-01-01",  # Friday of 2020-W53: another year, quarter and month, the same week
    "2025-12-28",  # a Sunday
    "2025-12-29",  # the Monday of 2026-W01, still in 2025
    "2026-03-31",  # the last day of a quarter
    "2026-04-01",
    "2026-11-23",  # the Monday of 2026-W48, a week inside November
    "2026-11-26",
)
entries_strategy = st.lists(
    st.tuples(
        st.sampled_from([f"S{i:04d}" for i in range(5)]),
        st.integers(min_value=-5, max_value=12),
        st.sampled_from(["quiz", "attendance", "total", "custom"]),
        st.sampled_from(PATHS),
        st.sampled_from(DAYS),
    ),
    max_size=40,
).map(
    lambda rows: [
        make_entry(i, member, points, category=category, unit_path=path, local_date=day)
        for i, (member, points, category, path, day) in enumerate(rows, start=1)
    ]
)
