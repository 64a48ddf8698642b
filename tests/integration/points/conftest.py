"""The points app's tests use the shared fixtures of tests/integration/conftest.py: a points
app on a real database, pricing with rules from a real rewards service over HTTP."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.fixture
def client(points_client: FlaskClient) -> FlaskClient:
    return points_client
