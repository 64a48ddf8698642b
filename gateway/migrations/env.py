"""Alembic environment for the gateway's tables; run through services.common.migrations."""

from gateway.models import Base
from services.common.migrations import run_env

run_env(Base.metadata, version_table="alembic_version_gateway")
