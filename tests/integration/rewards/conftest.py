"""The rewards app on a real, migrated database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from deploy.migrate import MIGRATED
from services.common.db import Database
from services.common.migrations import upgrade
from services.rewards.app import create_app
from services.settings import Settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    upgrade(MIGRATED["rewards"], settings.database_url("rewards"))
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    # Pooled connections must be gone before the test database is dropped.
    app.extensions["db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Database:
    database: Database = app.extensions["db"]
    return database
