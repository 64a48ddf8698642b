"""Which service answers which public path, and the scope it needs (docs/architecture.md).

Patterns: ``*`` is one path segment, a trailing ``/**`` is any number of further segments
(none included); a trailing slash is accepted. The first pattern that matches a path owns it:
among the routes with that pattern the method picks one, and a method none of them takes is a
405. So a specific pattern (a member's standing) must come before a general one (members).
A ``/**`` pattern takes every method of its routes for the whole subtree, so which methods one
path takes exactly is the API document's to say (gateway/allow.py), not this table's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.common.errors import ApiError, NotFound

READ = frozenset({"GET", "HEAD"})
WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
POST = frozenset({"POST"})
PREFIX = "/api/v1/"


class MethodNotAllowed(ApiError):
    status = 405


def _compile(pattern: str) -> re.Pattern[str]:
    tail = ""
    if pattern.endswith("/**"):
        pattern, tail = pattern[:-3], "(?:/[^/]+)*"
    body = "/".join("[^/]+" if part == "*" else re.escape(part) for part in pattern.split("/"))
    return re.compile(f"{body}{tail}/?")


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    pattern: str
    service: str
    scope: str
    # An admin limited to a subtree may call it: the service checks the units (X-Roles).
    units: bool = False
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", _compile(self.pattern))


ROUTES: tuple[Route, ...] = (
    Route(POST, "/api/v1/events", "points", "events"),
    Route(READ, "/api/v1/leaderboard", "leaderboard", "read"),
    Route(POST, "/api/v1/leaderboard/rebuild", "leaderboard", "admin"),
    Route(POST, "/api/v1/leaderboard/verify", "leaderboard", "admin"),
    Route(READ, "/api/v1/leaderboard/jobs/*", "leaderboard", "admin"),
    Route(READ, "/api/v1/leaderboard/compare", "leaderboard", "read"),
    Route(READ, "/api/v1/leaderboard/improved", "leaderboard", "read"),
    Route(READ, "/api/v1/leaderboard/teams", "leaderboard", "read"),
    Route(READ, "/api/v1/leaderboard/teams/improved", "leaderboard", "read"),
    Route(READ, "/api/v1/leaderboard/archive", "leaderboard", "read"),
    Route(READ, "/api/v1/leaderboard/groups/**", "leaderboard", "read"),
    Route(WRITE, "/api/v1/leaderboard/groups/**", "leaderboard", "admin"),
    Route(READ, "/api/v1/leaderboard/settings", "leaderboard", "read"),
    Route(frozenset({"PUT"}), "/api/v1/leaderboard/settings", "leaderboard", "admin"),
    # Before the general members routes: standings live in the leaderboard service.
    Route(READ, "/api/v1/members/*/standing", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/standings", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/around", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/catch-up", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/movement", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/history", "leaderboard", "read"),
    Route(READ, "/api/v1/members/*/ledger", "points", "read"),
    Route(READ, "/api/v1/members/*/profile", "points", "read"),
    Route(READ, "/api/v1/members/*/quizzes", "points", "read"),
    Route(POST, "/api/v1/members/*/adjustments", "points", "admin", units=True),
    # A member's own opt-out from nudges: the member themself, or an admin of their unit (the
    # points service checks which).
    Route(READ | frozenset({"PUT"}), "/api/v1/members/*/nudges", "points", "person"),
    Route(READ, "/api/v1/members/**", "points", "read"),
    Route(WRITE, "/api/v1/members/**", "points", "admin", units=True),
    Route(POST, "/api/v1/roster/import", "points", "admin", units=True),
    Route(READ, "/api/v1/analytics/**", "points", "admin", units=True),
    Route(READ, "/api/v1/units/**", "points", "read"),
    Route(WRITE, "/api/v1/units/**", "points", "admin", units=True),
    Route(READ, "/api/v1/rulesets/**", "rewards", "read"),
    Route(WRITE, "/api/v1/rulesets/**", "rewards", "admin"),
    Route(READ, "/api/v1/drafts/**", "rewards", "admin"),
    Route(WRITE, "/api/v1/drafts/**", "rewards", "admin"),
    Route(READ, "/api/v1/catalog", "rewards", "read"),
    Route(POST, "/api/v1/rescores", "rewards", "admin"),
    Route(READ, "/api/v1/audit", "points", "admin"),
    # The latest badges across the organisation: what a lobby wall shows.
    Route(READ, "/api/v1/badges/recent", "points", "read"),
    Route(READ, "/api/v1/quizzes/**", "points", "read"),
    Route(WRITE, "/api/v1/quizzes/**", "points", "admin", units=True),
    # Study sessions: a member sends their own excuse (a person's scope, never a key's); an
    # admin of their unit decides it; reads for every reader; the rest for admins, a subtree's
    # admin kept to their units by the points service.
    Route(POST, "/api/v1/sessions/*/excuses", "points", "person"),
    Route(READ, "/api/v1/sessions/*/excuses", "points", "admin", units=True),
    Route(POST, "/api/v1/sessions/*/excuses/*/decision", "points", "admin", units=True),
    # A sign-in sheet: an admin (a subtree's admin: of the session's units) or an admin key.
    Route(POST, "/api/v1/sessions/*/sign-ins/import", "points", "admin", units=True),
    Route(READ, "/api/v1/sessions/**", "points", "read"),
    Route(WRITE, "/api/v1/sessions/**", "points", "admin", units=True),
    # Practice reports are people's: the service checks the author (X-Viewer) and how far the
    # reviewer's or admin's roles reach (X-Roles). The one exception, before them: the list of
    # exemplary reports their authors share, which every member reads and a read key may too
    # (a lobby wall shows it); the service lists nothing else to a key.
    Route(READ, "/api/v1/reports/exemplary", "points", "read"),
    # Exports for inspections: a subtree's admin exports, lists and downloads their units'.
    Route(READ | WRITE, "/api/v1/exports/**", "points", "admin", units=True),
    Route(READ | WRITE, "/api/v1/reports/**", "points", "person"),
    Route(READ, "/api/v1/report-rubrics/**", "points", "read"),
    Route(WRITE, "/api/v1/report-rubrics/**", "points", "admin"),
    # Outbound delivery and nudges (docs/delivery.md): a subtree's admin keeps to the
    # subscriptions, deliveries and members of their units.
    Route(READ | WRITE, "/api/v1/subscriptions/**", "points", "admin", units=True),
    Route(READ | POST, "/api/v1/deliveries/**", "points", "admin", units=True),
    Route(POST, "/api/v1/nudges", "points", "admin", units=True),
    # Pulse surveys: a member lists the rounds open to them and answers (a person's scope, the
    # service checks the round is for their unit); the rest is for admins, a subtree's admin
    # kept to their units by the points service.
    Route(READ, "/api/v1/surveys/open", "points", "person"),
    Route(POST, "/api/v1/surveys/*/rounds/*/answers", "points", "person"),
    Route(READ, "/api/v1/surveys/**", "points", "admin", units=True),
    Route(WRITE, "/api/v1/surveys/**", "points", "admin", units=True),
)


# Paths the gateway answers itself (gateway/public.py, gateway/auth_api.py,
# gateway/session_api.py, gateway/accounts_api.py, gateway/keys_api.py, gateway/me.py) with
# their methods: another method on one of them is a 405 naming these, as on a routed path, not
# a 404. Their views check who is calling themselves.
GATEWAY = "gateway"
OWN: tuple[Route, ...] = (
    Route(READ, "/api/v1/health", GATEWAY, ""),
    Route(POST, "/api/v1/auth/sign-in", GATEWAY, ""),
    Route(POST, "/api/v1/auth/refresh", GATEWAY, ""),
    Route(POST, "/api/v1/auth/sign-out", GATEWAY, ""),
    Route(READ | POST | frozenset({"DELETE"}), "/api/v1/auth/session", GATEWAY, ""),
    Route(POST, "/api/v1/auth/password", GATEWAY, ""),
    Route(POST, "/api/v1/auth/reset", GATEWAY, ""),
    Route(READ | POST, "/api/v1/auth/accounts", GATEWAY, "admin"),
    Route(frozenset({"PUT"}), "/api/v1/auth/accounts/*/password", GATEWAY, "admin"),
    Route(POST, "/api/v1/auth/accounts/*/reset-code", GATEWAY, "admin"),
    Route(POST, "/api/v1/auth/accounts/*/roles", GATEWAY, "admin"),
    Route(frozenset({"DELETE"}), "/api/v1/auth/accounts/*/roles/*", GATEWAY, "admin"),
    Route(READ, "/api/v1/auth/audit", GATEWAY, "admin"),
    Route(READ | POST, "/api/v1/auth/keys", GATEWAY, "admin"),
    Route(POST, "/api/v1/auth/keys/*/rotate", GATEWAY, "admin"),
    Route(frozenset({"DELETE"}), "/api/v1/auth/keys/*", GATEWAY, "admin"),
    Route(READ, "/api/v1/me", GATEWAY, "read"),
)


def lookup(
    method: str, path: str, routes: tuple[Route, ...] = ROUTES
) -> tuple[Route | None, frozenset[str]]:
    """The route for a request, else None and the methods the path takes (none: unknown)."""
    if not path.startswith(PREFIX) or _has_dot_segment(path):
        return None, frozenset()
    owner = next((route.pattern for route in routes if route.regex.fullmatch(path)), None)
    if owner is None:
        return None, frozenset()
    allowed: frozenset[str] = frozenset()
    for route in routes:
        if route.pattern == owner:
            if method in route.methods:
                return route, route.methods
            allowed |= route.methods
    return None, allowed


def route_for(method: str, path: str) -> Route:
    """The route for a request, or the 404/405 error to answer with."""
    route, allowed = lookup(method, path)
    if route is not None:
        return route
    allowed = allowed or _own_methods(path)
    if not allowed:
        raise NotFound(f"No API at {path}.")
    raise MethodNotAllowed(
        f"{method} is not allowed on {path}.", headers={"Allow": ", ".join(sorted(allowed))}
    )


def methods_for(path: str) -> frozenset[str]:
    """Every method the table takes on a path, its own paths included (none: unknown)."""
    _, allowed = lookup("", path)  # no route takes the empty method: this gathers them all
    return allowed or _own_methods(path)


def _own_methods(path: str) -> frozenset[str]:
    _, allowed = lookup("", path, OWN)
    return allowed


def _has_dot_segment(path: str) -> bool:
    # "/api/v1/members/../../internal" must never reach a service that would resolve it.
    return any(part in (".", "..") for part in path.split("/"))
