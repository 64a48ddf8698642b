"""After a re-score: which engine counters and badges the re-score owns, and their new values.

A re-score replays the period's events from an empty state at the period's start (under the
chosen version), then goes on through the same members' later events (under the versions that
priced them), so the replay ends where the live state stands today. The live state then takes
the replay's values for every counter the re-score owns:

- counters of a window (caps, floors, badge progress) that ends on or after the period's start:
  the replay's value, 0 when the replay never counted it (a cap the new rules no longer have);
- lifetime counters the replay counted: attempts at a thing (``seen:``/``best:``, together) and
  the streak (``streak:<per>:last/length/best``, together);
- every badge flag (``badge:<code>:<window>``) of those windows: 1 exactly when the member holds
  the badge after the re-score (see ``badge_changes``).

Everything else stays as it is: windows that ended before the period, things and streaks the
replay never met, and the progress of lifetime (``all``) badges, which counts events from before
any period and which no replay from a period's start can re-derive.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

BadgeKey = tuple[str, str]  # (badge code, window key)


def window_span(window: str) -> tuple[date, date] | None:
    """First and last local day of a window key ('d2026-11-26', 'w2026-W48', 'm2026-11',
    'q2026-Q4', 'y2026'); None for 'all'."""
    kind, rest = window[0], window[1:]
    if window == "all":
        return None
    if kind == "d":
        day = date.fromisoformat(rest)
        return day, day
    if kind == "w":
        year, week = rest.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        return monday, monday + timedelta(days=6)
    if kind == "m":
        year_text, month_text = rest.split("-")
        return date(int(year_text), int(month_text), 1), _month_end(int(year_text), int(month_text))
    if kind == "q":
        year, quarter = rest.split("-Q")
        first = 3 * (int(quarter) - 1) + 1
        return date(int(year), first, 1), _month_end(int(year), first + 2)
    if kind == "y":
        return date(int(rest), 1, 1), date(int(rest), 12, 31)
    raise ValueError(f"unknown window {window!r}")


def inside(window: str, start: date, end: date) -> bool:
    """Whether the window lies wholly within the local dates ``start`` .. ``end``."""
    span = window_span(window)
    return span is not None and start <= span[0] and span[1] <= end


def resync(
    live: Mapping[str, int],
    replayed: Mapping[str, int],
    start: date,
    held: set[BadgeKey],
) -> dict[str, int]:
    """A member's state after a re-score from ``start`` (zeros left out).

    ``live``: the state now; ``replayed``: the state the replay left; ``held``: the badges
    the member holds once the re-score's awards and revocations are written.
    """
    result = {}
    for key in set(live) | set(replayed):
        value = _value(key, live.get(key, 0), replayed, start, held)
        if value:
            result[key] = value
    return result


def _value(
    key: str, live: int, replayed: Mapping[str, int], start: date, held: set[BadgeKey]
) -> int:
    kind = key.split(":", 1)[0]
    if kind == "badge":
        _, code, window, *criterion = key.split(":")
        if not _reaches(window, start):
            return live
        if not criterion:
            return 1 if (code, window) in held else 0
        return live if window == "all" else replayed.get(key, 0)
    if kind in ("cap", "floor"):
        return replayed.get(key, 0) if _reaches(key.rsplit(":", 1)[1], start) else live
    if kind in ("seen", "best"):
        thing = key.split(":", 1)[1]
        return replayed.get(key, 0) if f"seen:{thing}" in replayed else live
    if kind == "streak":
        per = key.split(":")[1]
        return replayed.get(key, 0) if f"streak:{per}:last" in replayed else live
    return replayed.get(key, live)


def _reaches(window: str, start: date) -> bool:
    span = window_span(window)
    return span is None or span[1] >= start


@dataclass(frozen=True)
class BadgeChanges:
    award: list[BadgeKey]  # earned under the new rules from an event of the period, not held
    revoke: list[BadgeKey]  # held in a window inside the period, no longer earned
    reprice: list[tuple[BadgeKey, int]]  # held and earned inside the period: points to add


def badge_changes(
    earned: Mapping[BadgeKey, int],
    held: Mapping[BadgeKey, int],
    start: date,
    end: date,
) -> BadgeChanges:
    """What a re-score does to one member's badges.

    ``earned``: badges the replay awarded on an event of the period, with their points;
    ``held``: badges the member holds now, with the points their entries add up to.
    Inside windows that lie wholly in the period the badges and their points become exactly
    what the replay earned; in windows reaching past either end a missing badge is awarded,
    and none is revoked or re-priced (events outside the period count towards it too).
    """
    award = sorted(key for key in earned if key not in held)
    revoke = sorted(key for key in held if key not in earned and inside(key[1], start, end))
    reprice = sorted(
        (key, earned[key] - points)
        for key, points in held.items()
        if key in earned and earned[key] != points and inside(key[1], start, end)
    )
    return BadgeChanges(award, revoke, reprice)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)
