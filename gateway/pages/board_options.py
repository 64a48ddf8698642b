"""What a person may choose on the board page, read as them: the scopes that contain them
(their standings list every one: organisation, region, department, team, groups), the custom
groups, the periods the leaderboard keeps, the campaign windows and categories of the rules
in force, and the closed periods of the archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gateway.auth import Caller
from gateway.pages.board_choice import PAST, RANGE
from gateway.pages.board_reads import maybe as _maybe
from gateway.pages.filters import PERIOD_NAMES, kind_name

# The periods a live board covers (the leaderboard's own names), in the order offered.
LIVE = ("week", "month", "quarter", "year", "all", "day", "last7", "last30")
PAST_NAMES = {
    "week": _l("Last week"),
    "month": _l("Last month"),
    "quarter": _l("Last quarter"),
    "year": _l("Last year"),
}
# What a unit on a member's path is to them, by its depth in the tree.
LEVELS = {1: _l("my region"), 2: _l("my department"), 3: _l("my team")}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    group: str = ""  # the <optgroup> it is shown under, if any


def options(caller: Caller, names: dict[str, str], today: date) -> dict[str, list[Option]]:
    rules = _rules(caller)
    return {
        "scope": scopes(caller, names),
        "period": periods(rules, today),
        "category": categories(rules),
    }


def scopes(caller: Caller, names: dict[str, str]) -> list[Option]:
    """The organisation, each unit on the person's path, then every custom group."""
    mine = _maybe(caller, f"/api/v1/members/{caller.staff_no}/standings", {"periods": "all"})
    found = [row["scope"] for row in (mine or {}).get("items", [])]
    units = [s.removeprefix("unit:") for s in found if s.startswith("unit:")]
    listed = [Option("org", _("Whole organisation"))]
    for depth, code in enumerate(units, start=1):
        level = LEVELS.get(depth, _l("my unit"))
        label = _("%(name)s (%(level)s)", name=names.get(code, code), level=level)
        listed.append(Option(f"unit:{code}", label))
    groups = (_maybe(caller, "/api/v1/leaderboard/groups", {}) or {}).get("items", [])
    for group in groups:
        if not group.get("excluded"):
            listed.append(Option(f"group:{group['code']}", group["name"], _("Groups")))
    return listed


def periods(rules: dict[str, Any], today: date) -> list[Option]:
    listed = [Option(period, str(PERIOD_NAMES[period])) for period in LIVE]
    for campaign in rules.get("campaigns", []):
        start, end = campaign.get("from"), campaign.get("to")
        if start and end and start <= today.isoformat():
            value = f"{RANGE}{start}:{end}"
            listed.append(Option(value, str(campaign.get("name") or value), _("Campaigns")))
    archive = _("Closed periods")
    listed += [Option(PAST + kind, str(name), archive) for kind, name in PAST_NAMES.items()]
    return listed


def categories(rules: dict[str, Any]) -> list[Option]:
    """Every points in all, then each category an entry of the rules in force can have."""
    found = {rule.get("category") for rule in rules.get("event_types", {}).values()}
    if "streak" in rules:
        found.add(rules["streak"].get("category", "streak"))
    found |= {badge.get("category", "badge") for badge in rules.get("badges", [])}
    named = sorted((kind_name(c), c) for c in found if isinstance(c, str) and c != "total")
    return [Option("total", _("All points"))] + [Option(c, label) for label, c in named]


def _rules(caller: Caller) -> dict[str, Any]:
    """The document of the rules in force; empty when none is published or it cannot be read."""
    found = _maybe(caller, "/api/v1/rulesets/active", {})
    document = (found or {}).get("document")
    return document if isinstance(document, dict) else {}
