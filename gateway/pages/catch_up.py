"""The catch-up line ("3 points behind #4; today's quiz can still earn 5"), said in the
reader's language from the leaderboard's structured answer (its ``message`` is English)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from services.words import LABELS


def line(catch_up: dict[str, Any] | None) -> str:
    if not catch_up:
        return ""
    ahead = catch_up.get("next")
    if catch_up.get("rank") is None:
        said = _("You are not on this board yet")
    elif ahead is None:
        said = _("You lead this board")
    else:
        said = _("%(gap)d points behind #%(rank)d", gap=ahead["gap"], rank=ahead["rank"])
    chance = best_chance(catch_up.get("remaining_today"))
    if chance is None:
        return str(said)
    kind, points = chance
    said = _("%(said)s; today's %(kind)s can still earn %(points)d", said=said, kind=kind,
             points=points)  # fmt: skip
    return str(said)


def best_chance(remaining: dict[str, Any] | None) -> tuple[str, int] | None:
    """The event type that can still earn the most today, and how much; None when none can."""
    if not remaining:
        return None
    rooms = remaining.get("event_types", {}).items()
    awards = ((name, room.get("best_award") or 0) for name, room in rooms)
    best = max(awards, key=lambda found: found[1], default=None)
    if best is None or best[1] <= 0:
        return None
    return str(LABELS.get(best[0], best[0])).lower(), best[1]  # "quiz" mid-sentence
