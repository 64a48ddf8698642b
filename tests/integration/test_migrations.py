"""Every part that owns SQL data: its migration history builds exactly the schema its models
describe, and running it again changes nothing."""

from __future__ import annotations

import pytest

from deploy.migrate import MIGRATED
from tests.harness import schema_drift


@pytest.mark.parametrize("part", sorted(MIGRATED))
def test_the_models_match_the_migrations(part: str, database_url: str) -> None:
    assert schema_drift(part, database_url) == []
    assert schema_drift(part, database_url) == []  # upgrading again changes nothing
