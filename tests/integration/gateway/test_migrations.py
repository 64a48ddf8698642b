"""The gateway's migration history builds exactly the schema its models describe."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gateway.models import Base
from services.common.db import make_engine
from services.common.migrations import upgrade


def test_upgrade_creates_the_schema_the_models_expect(database_url: str) -> None:
    upgrade("gateway", database_url)
    upgrade("gateway", database_url)  # running it again changes nothing
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            assert {"gateway_api_keys", "alembic_version_gateway"} <= tables
            context = MigrationContext.configure(
                connection, opts={"version_table": "alembic_version_gateway"}
            )
            assert context.get_current_revision() == "0001_api_keys"
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
