"""What a board page shows, from its query string: scope, period, category, page and page
size, each checked against what this person may choose (gateway/pages/board_options.py).
An unknown value is said next to its field (a 400), never sent on to the leaderboard.

The period's value says which kind of board it is: a live board (``week``, ``last7``...), a
campaign window of the rules in force (``range:<from>:<to>``), or a closed period from the
archive (``past-week``: the week before this one)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

DEFAULT_SIZE = 20
MAX_SIZE = 100  # the leaderboard's own page limit
PAST = "past-"
RANGE = "range:"

SAID = {
    "scope": _l("Choose a board from the list."),
    "period": _l("Choose a period from the list."),
    "category": _l("Choose a category from the list."),
    "page": _l("The page must be a whole number from 1."),
    "size": _l("The page size must be a whole number from 1 to %(most)d.", most=MAX_SIZE),
}


@dataclass(frozen=True)
class Choice:
    scope: str = "org"
    period: str = "week"
    category: str = "total"
    page: int = 1
    size: int = DEFAULT_SIZE

    @property
    def archived(self) -> bool:
        return self.period.startswith(PAST)

    @property
    def kind(self) -> str:
        """The leaderboard's period: ``week`` for ``past-week``, ``range`` for a campaign."""
        if self.archived:
            return self.period.removeprefix(PAST)
        return "range" if self.period.startswith(RANGE) else self.period

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def board(self, today: date) -> dict[str, Any]:
        """The query that names this board to the leaderboard (without paging)."""
        query: dict[str, Any] = {"scope": self.scope, "period": self.kind}
        query["category"] = self.category
        if self.period.startswith(RANGE):
            query["from"], query["to"] = self.period.removeprefix(RANGE).split(":")
        if self.archived:
            query["at"] = past_day(self.kind, today).isoformat()
        return query

    def link(self, **changes: Any) -> dict[str, Any]:
        """This page's query string (with ``changes``), defaults left out."""
        chosen = replace(self, **changes)
        plain = Choice()
        return {
            name: getattr(chosen, name)
            for name in ("scope", "period", "category", "page", "size")
            if getattr(chosen, name) != getattr(plain, name)
        }


def past_day(kind: str, today: date) -> date:
    """A day of the closed period just before the one containing ``today``."""
    if kind == "week":
        return today - timedelta(days=today.weekday() + 1)
    if kind == "month":
        return today.replace(day=1) - timedelta(days=1)
    if kind == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return first - timedelta(days=1)
    return today.replace(month=1, day=1) - timedelta(days=1)  # year


def parse(args: Any, choices: dict[str, list[Any]]) -> tuple[Choice, dict[str, str]]:
    """The choice a query string makes, and what is wrong with it (field -> message); a wrong
    field takes its default, so the form can still be shown."""
    errors: dict[str, str] = {}
    picked: dict[str, Any] = {}
    for name in ("scope", "period", "category"):
        value = args.get(name)
        if value is None or value == "":
            continue
        if value in {option.value for option in choices[name]}:
            picked[name] = value
        else:
            errors[name] = str(SAID[name])
    for name, most in (("page", None), ("size", MAX_SIZE)):
        value = args.get(name)
        if value is None or value == "":
            continue
        number = _whole(value, most)
        if number is None:
            errors[name] = str(SAID[name])
        else:
            picked[name] = number
    return Choice(**picked), errors


def _whole(value: str, most: int | None) -> int | None:
    if not value.isdigit() or len(value) > 9:
        return None
    number = int(value)
    if number < 1 or (most is not None and number > most):
        return None
    return number
