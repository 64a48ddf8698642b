"""How far a member is towards a badge they do not hold yet, where the pages can tell from
what the API gives: a streak criterion from the profile's current streak, a category's points
in a day, week or month from the ledger's entries (the charts' weeks hold them all). A badge
with any other criterion (events counted, a quarter's or a lifetime's sum) shows no progress:
the rules engine's own counters are not on the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from services.words import LABELS


def window_start(window: str, today: date) -> date | None:
    """The first day of the badge's current window, when the charts' entries reach it."""
    starts = {
        "day": today,
        "week": today - timedelta(days=today.weekday()),
        "month": today.replace(day=1),
    }
    return starts.get(window)


def progress(
    badge: dict[str, Any],
    entries: Iterable[dict[str, Any]],
    streak: dict[str, Any] | None,
    today: date,
) -> list[str] | None:
    """One line per criterion ("streak 3 / 7 days"), or None when one cannot be told."""
    entries = list(entries)
    lines = []
    for criterion in badge.get("all_of", []):
        line = _criterion(criterion, badge.get("window", "all"), entries, streak, today)
        if line is None:
            return None
        lines.append(line)
    return lines or None


def _criterion(
    criterion: dict[str, Any],
    window: str,
    entries: list[dict[str, Any]],
    streak: dict[str, Any] | None,
    today: date,
) -> str | None:
    if "streak" in criterion and streak:
        done, needed = min(streak["current"], criterion["streak"]), criterion["streak"]
        if streak.get("per") == "week":
            return str(_("streak %(done)d / %(needed)d weeks", done=done, needed=needed))
        return str(_("streak %(done)d / %(needed)d days", done=done, needed=needed))
    start = window_start(window, today)
    if "sum" in criterion and start is not None:
        category = criterion["sum"]
        done = sum(
            e["points"]
            for e in entries
            if e["category"] == category and e["local_date"] >= start.isoformat()
        )
        name = str(LABELS.get(category, category))
        said = _("%(category)s points %(done)d / %(needed)d", category=name, done=done,
                 needed=criterion["at_least"])  # fmt: skip
        return str(said)
    return None


def with_progress(
    badges: list[dict[str, Any]] | None,
    entries: list[dict[str, Any]],
    streak: dict[str, Any] | None,
    today: date,
) -> list[dict[str, Any]] | None:
    """The badges still to earn, each with its ``progress`` lines (None: not computable)."""
    if badges is None:
        return None
    return [{**badge, "progress": progress(badge, entries, streak, today)} for badge in badges]
