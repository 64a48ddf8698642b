"""The points migrations on a real database: they build what the models describe, and go
down and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from deploy.migrate import MIGRATED
from services.common.db import make_engine
from services.common.migrations import alembic_config, upgrade
from services.points.models import Base

PACKAGE = MIGRATED["points"]


def test_the_models_match_the_migrations(database_url: str) -> None:
    upgrade(PACKAGE, database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            opts = {"version_table": "alembic_version_points"}
            context = MigrationContext.configure(connection, opts=opts)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_then_upgrade_again(database_url: str) -> None:
    upgrade(PACKAGE, database_url)
    command.downgrade(alembic_config(PACKAGE, database_url), "0002")
    engine = make_engine(database_url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("points_badges")}
        assert "revoked_at" not in columns
    finally:
        engine.dispose()
    upgrade(PACKAGE, database_url)
