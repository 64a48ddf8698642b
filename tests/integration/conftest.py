"""Real services the integration tiers share: a rewards service served over HTTP, and a points
app on a real, migrated database that prices events with rules fetched from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis

from services.common.migrations import upgrade
from services.settings import Settings
from tests.support import serving


@pytest.fixture
def rewards_url(settings: Settings) -> Iterator[str]:
    from services.rewards.app import create_app as create_rewards

    upgrade("services.rewards", settings.database_url("rewards"))
    app = create_rewards(settings)
    with serving(app) as url:
        yield url
    app.extensions["db"].dispose()  # before the test database is dropped


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str) -> Settings:
    return settings.with_overrides(service_urls={**settings.service_urls, "rewards": rewards_url})


@pytest.fixture
def points_app(points_settings: Settings, redis: Redis) -> Iterator[Flask]:
    from services.points.app import create_app

    upgrade("services.points", points_settings.database_url("points"))
    app = create_app(points_settings)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def points_client(points_app: Flask) -> FlaskClient:
    return points_app.test_client()


@pytest.fixture
def org(points_client: FlaskClient) -> FlaskClient:
    """Two regions, a department, three members (one inactive)."""
    for unit in (
        {"code": "north", "name": "North"},
        {"code": "south", "name": "South"},
        {"code": "north-ops", "name": "North operations", "parent": "north"},
    ):
        assert points_client.post("/api/v1/units", json=unit).status_code == 201
    for member in (
        {"staff_no": "S001", "name": "Li Na", "unit": "north-ops"},
        {"staff_no": "S002", "name": "Wang Wei", "unit": "south"},
        {"staff_no": "S003", "name": "Zhao Min", "unit": "south", "active": False},
    ):
        assert points_client.post("/api/v1/members", json=member).status_code == 201
    return points_client
