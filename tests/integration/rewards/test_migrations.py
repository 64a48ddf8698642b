"""The rewards migrations on a real database: they build what the models describe."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from deploy.migrate import MIGRATED
from services.common.db import make_engine
from services.common.migrations import alembic_config, upgrade
from services.rewards.models import Base

PACKAGE = MIGRATED["rewards"]


def rows(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(sa.text("SELECT version, name FROM rewards_rule_sets")))
    finally:
        engine.dispose()


def test_the_models_match_the_migrations(database_url: str) -> None:
    upgrade(PACKAGE, database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            # Our own version table, so alembic does not count it as a table the models lack.
            opts = {"version_table": "alembic_version_rewards"}
            context = MigrationContext.configure(connection, opts=opts)
            assert compare_metadata(context, Base.metadata) == []
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
