"""The models-versus-migrations check, for every part that owns SQL data: after its migrations
have run, the tables are exactly what its models describe."""

from __future__ import annotations

import importlib
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from deploy.migrate import MIGRATED
from services.common.db import make_engine
from services.common.migrations import upgrade


def schema_drift(part: str, url: str) -> list[Any]:
    """Migrate ``part`` (a name of deploy.migrate.MIGRATED) on ``url``, then list what its
    models describe and the database lacks or has besides; empty when they agree."""
    package = MIGRATED[part]
    upgrade(package, url)
    metadata = importlib.import_module(f"{package}.models").Base.metadata
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            # Each part's own version table, so alembic does not count it as a table the
            # models lack (several parts share one PostgreSQL database).
            opts = {"version_table": f"alembic_version_{part}"}
            context = MigrationContext.configure(connection, opts=opts)
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()
