"""Alembic environment of the rewards service; run through services.common.migrations.upgrade."""

from services.common.migrations import run_env
from services.rewards.models import Base

run_env(Base.metadata, version_table="alembic_version_rewards")
