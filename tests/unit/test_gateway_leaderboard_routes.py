"""The leaderboard's public routes: reads need `read`, management and rebuilds `admin`."""

from __future__ import annotations

import pytest

from gateway.routes import lookup, route_for


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("GET", "/api/v1/members/S1/standings", "read"),
        ("GET", "/api/v1/members/S1/around", "read"),
        ("GET", "/api/v1/members/S1/catch-up", "read"),
        ("GET", "/api/v1/members/S1/movement", "read"),
        ("GET", "/api/v1/members/S1/history", "read"),
        ("GET", "/api/v1/leaderboard/compare", "read"),
        ("GET", "/api/v1/leaderboard/improved", "read"),
        ("GET", "/api/v1/leaderboard/teams", "read"),
        ("GET", "/api/v1/leaderboard/teams/improved", "read"),
        ("GET", "/api/v1/leaderboard/archive", "read"),
        ("GET", "/api/v1/leaderboard/groups", "read"),
        ("POST", "/api/v1/leaderboard/groups", "admin"),
        ("PATCH", "/api/v1/leaderboard/groups/cadres", "admin"),
        ("DELETE", "/api/v1/leaderboard/groups/cadres", "admin"),
        ("GET", "/api/v1/leaderboard/settings", "read"),
        ("PUT", "/api/v1/leaderboard/settings", "admin"),
        ("POST", "/api/v1/leaderboard/verify", "admin"),
        ("GET", "/api/v1/leaderboard/jobs/abc", "admin"),
    ],
)
def test_leaderboard_routes(method: str, path: str, scope: str) -> None:
    route = route_for(method, path)
    assert (route.service, route.scope) == ("leaderboard", scope)


def test_unknown_leaderboard_paths_stay_unknown() -> None:
    assert lookup("GET", "/api/v1/leaderboard/extra/deep") == (None, frozenset())
