"""The gateway's migration history: its tables and its head revision. (That they match the
models is checked for every part in tests/integration/test_migrations.py.)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext

from services.common.db import make_engine
from services.common.migrations import upgrade


def test_upgrade_creates_the_tables_and_the_head_revision(database_url: str) -> None:
    upgrade("gateway", database_url)
    upgrade("gateway", database_url)  # running it again changes nothing
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            assert {"gateway_api_keys", "gateway_accounts", "alembic_version_gateway"} <= tables
            context = MigrationContext.configure(
                connection, opts={"version_table": "alembic_version_gateway"}
            )
            assert context.get_current_revision() == "0004_account_locale"
    finally:
        engine.dispose()
