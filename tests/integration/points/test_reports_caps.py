"""A cap on practice reports per period comes from the rules: approvals are priced by the
engine like every event, and a re-rating never lifts a report past what its cap granted."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from services.common.http import ServiceClient
from services.contracts import internal_signer
from services.settings import Settings
from tests.integration.points.reports import AUTHOR, NORTH, POOR, TOP, ledger, rubric, scored
from tests.integration.points.reports import submitted as submit
from tests.rules_examples import DEFAULT

WEEKLY_TEN = {**DEFAULT, "caps": [{"event_type": "practice_report", "per": "week", "points": 10}]}


@pytest.fixture
def points_settings(settings: Settings, rewards_url: str) -> Settings:
    """Rules refreshed on every call, so the version published in the test applies at once."""
    urls = {**settings.service_urls, "rewards": rewards_url}
    return settings.with_overrides(service_urls=urls, rules_cache_seconds=0)


def test_the_rules_cap_reports_per_week_and_a_re_rating_keeps_within_it(
    org: FlaskClient, rewards_url: str, settings: Settings
) -> None:
    client = ServiceClient("rewards", rewards_url, signer=internal_signer(settings))
    client.post("/api/v1/rulesets", {"name": "capped", "document": WEEKLY_TEN})
    rubric(org)
    first, second = submit(org), submit(org, title="Another")
    scored(org, first, NORTH[0], TOP)  # A: 8
    scored(org, second, NORTH[0], TOP)  # A: 8 wanted, 2 left under the cap
    entries = ledger(org)
    assert entries["total_points"] == 10
    assert "cap reached" in entries["items"][0]["reason"]
    path = f"/api/v1/reports/{second}/appeal"
    assert org.post(path, json={"comment": "Again"}, headers=AUTHOR).status_code == 200
    scored(org, second, NORTH[1], {"relevance": 4, "effect": 3, "spread": 3})  # 65: B (5)
    assert ledger(org)["total_points"] == 10  # still the 2 the cap granted
    org.post(f"/api/v1/reports/{first}/appeal", json={"comment": "Again"}, headers=AUTHOR)
    scored(org, first, NORTH[1], POOR)  # rejected: its 8 taken back
    assert ledger(org)["total_points"] == 2
