"""The rewards migrations on a real database: the default rule set seeded once, and down and up
again. (That they build what the models describe: tests/integration/test_migrations.py.)"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command

from deploy.migrate import MIGRATED
from services.common.db import make_engine
from services.common.migrations import alembic_config, upgrade

PACKAGE = MIGRATED["rewards"]


def rows(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text("SELECT version, name FROM rewards_rule_sets")))
    finally:
        engine.dispose()


def test_upgrading_twice_seeds_version_one_once(database_url: str) -> None:
    upgrade(PACKAGE, database_url)
    upgrade(PACKAGE, database_url)
    assert [tuple(row) for row in rows(database_url)] == [(1, "default")]


def test_downgrade_then_upgrade_again(database_url: str) -> None:
    upgrade(PACKAGE, database_url)
    command.downgrade(alembic_config(PACKAGE, database_url), "base")
    engine = make_engine(database_url)
    try:
        assert "rewards_rule_sets" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    upgrade(PACKAGE, database_url)
    assert [tuple(row) for row in rows(database_url)] == [(1, "default")]
