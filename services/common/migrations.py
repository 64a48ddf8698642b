"""Alembic, one history per service that owns SQL data.

Each part that owns SQL data keeps ``migrations/`` beside its models (``deploy/migrate.py``
lists them); its ``env.py`` calls ``run_env`` with its
metadata and its own version table, so several services can share one PostgreSQL database.
``upgrade`` is what ``make run`` / ``make test`` call (through ``python -m deploy.platform
migrate``), so a fresh clone never needs a manual schema step.
"""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData

from services.common.db import make_engine


def alembic_config(package: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.attributes["url"] = url
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, url), revision)


def run_env(metadata: MetaData, version_table: str) -> None:
    """Body of every service's ``migrations/env.py`` (online mode only: we always have a DB)."""
    url = context.config.attributes.get("url")
    if not url:
        raise RuntimeError("migrations must be run through services.common.migrations.upgrade")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
