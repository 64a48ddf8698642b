"""Alembic environment of the leaderboard; run through services.common.migrations.upgrade."""

from services.common.migrations import run_env
from services.leaderboard.models import Base

run_env(Base.metadata, version_table="alembic_version_leaderboard")
