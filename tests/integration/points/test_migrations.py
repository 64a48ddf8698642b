"""The points migrations on a real database go down and up again. (That they build what the
models describe: tests/integration/test_migrations.py.)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from deploy.migrate import MIGRATED
from services.common.db import make_engine
from services.common.migrations import alembic_config, upgrade

PACKAGE = MIGRATED["points"]


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
