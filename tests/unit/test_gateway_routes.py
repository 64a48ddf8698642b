"""The routing table: which service answers a public path, and with which scope."""

from __future__ import annotations

import pytest

from gateway.routes import MethodNotAllowed, lookup, methods_for, route_for
from services.common.errors import NotFound


@pytest.mark.parametrize(
    ("method", "path", "service", "scope"),
    [
        ("POST", "/api/v1/events", "points", "events"),
        ("GET", "/api/v1/units", "points", "read"),
        ("GET", "/api/v1/units/", "points", "read"),
        ("GET", "/api/v1/units/north-ops", "points", "read"),
        ("POST", "/api/v1/units", "points", "admin"),
        ("PATCH", "/api/v1/units/north-ops", "points", "admin"),
        ("GET", "/api/v1/members", "points", "read"),
        ("HEAD", "/api/v1/members/S0001", "points", "read"),
        ("DELETE", "/api/v1/members/S0001", "points", "admin"),
        ("GET", "/api/v1/members/S0001/ledger", "points", "read"),
        ("GET", "/api/v1/members/S0001/standing", "leaderboard", "read"),
        ("GET", "/api/v1/leaderboard", "leaderboard", "read"),
        ("POST", "/api/v1/leaderboard/rebuild", "leaderboard", "admin"),
        ("GET", "/api/v1/rulesets/active", "rewards", "read"),
        ("GET", "/api/v1/rulesets/7", "rewards", "read"),
        ("POST", "/api/v1/rulesets", "rewards", "admin"),
        ("PUT", "/api/v1/rulesets/7", "rewards", "admin"),
        ("GET", "/api/v1/sessions", "points", "read"),
        ("GET", "/api/v1/sessions/ss-1/figures", "points", "read"),
        ("POST", "/api/v1/sessions", "points", "admin"),
        ("POST", "/api/v1/sessions/series", "points", "admin"),
        ("PATCH", "/api/v1/sessions/ss-1", "points", "admin"),
        ("POST", "/api/v1/sessions/ss-1/close", "points", "admin"),
        ("POST", "/api/v1/sessions/ss-1/excuses", "points", "person"),
        ("GET", "/api/v1/sessions/ss-1/excuses", "points", "admin"),
        ("GET", "/api/v1/sessions/ss-1/excuses/S1", "points", "read"),
        ("POST", "/api/v1/sessions/ss-1/excuses/S1/decision", "points", "admin"),
        ("GET", "/api/v1/members/S0001/sessions", "points", "read"),
        ("GET", "/api/v1/badges/recent", "points", "read"),
        # The figures are for admins (a unit's admin inside it: the service checks the units).
        ("GET", "/api/v1/analytics/funnel", "points", "admin"),
        ("GET", "/api/v1/analytics/drifting", "points", "admin"),
        ("PUT", "/api/v1/members/S0001/leader", "points", "admin"),
        # The one list of reports a read key may read; every other report path is a person's.
        ("GET", "/api/v1/reports/exemplary", "points", "read"),
        ("GET", "/api/v1/reports/7", "points", "person"),
        ("GET", "/api/v1/reports/queue", "points", "person"),
        ("POST", "/api/v1/reports/7/exemplary", "points", "person"),
        # Surveys: members list their open rounds and answer; everything else is an admin's.
        ("GET", "/api/v1/surveys/open", "points", "person"),
        ("POST", "/api/v1/surveys/pulse/rounds/2/answers", "points", "person"),
        ("GET", "/api/v1/surveys", "points", "admin"),
        ("GET", "/api/v1/surveys/template", "points", "admin"),
        ("POST", "/api/v1/surveys/pulse/rounds", "points", "admin"),
        ("GET", "/api/v1/surveys/pulse/rounds/2/results", "points", "admin"),
        ("GET", "/api/v1/surveys/pulse/trend", "points", "admin"),
    ],
)
def test_routes(method: str, path: str, service: str, scope: str) -> None:
    route = route_for(method, path)
    assert (route.service, route.scope) == (service, scope)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1/unitsx",
        "/api/v1/leaderboard/extra/deep",
        "/internal/v1/outbox",
        "/api/v1/members/../../internal/v1/outbox",
        "/api/v1/units/./north",
        "/api/v2/units",
    ],
)
def test_unknown_paths_are_not_found(path: str) -> None:
    assert lookup("GET", path) == (None, frozenset())
    with pytest.raises(NotFound):
        route_for("GET", path)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/api/v1/events", "POST"),
        ("GET", "/api/v1/leaderboard/rebuild", "POST"),
        ("POST", "/api/v1/leaderboard", "GET, HEAD"),
        # Owned by the standing route, so never handed to the members routes' admin write.
        ("POST", "/api/v1/members/S0001/standing", "GET, HEAD"),
        ("POST", "/api/v1/members/S0001/ledger", "GET, HEAD"),
        # The gateway's own path: another method there is a 405 too, not a 404.
        ("PUT", "/api/v1/health", "GET, HEAD"),
        ("POST", "/api/v1/reports/exemplary", "GET, HEAD"),
        ("POST", "/api/v1/badges/recent", "GET, HEAD"),
    ],
)
def test_wrong_methods_are_405_with_allow(method: str, path: str, allowed: str) -> None:
    with pytest.raises(MethodNotAllowed) as caught:
        route_for(method, path)
    assert caught.value.headers == {"Allow": allowed}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/events", {"POST"}),
        ("/api/v1/leaderboard/settings", {"GET", "HEAD", "PUT"}),
        ("/api/v1/members/S0001/standing", {"GET", "HEAD"}),
        ("/api/v1/members/S0001", {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}),
        ("/api/v1/health", {"GET", "HEAD"}),
        ("/api/v1/nothing", set()),
        ("/api/v1/units/./north", set()),
    ],
)
def test_methods_for_gathers_every_method_of_the_owning_pattern(
    path: str, methods: set[str]
) -> None:
    assert methods_for(path) == methods
