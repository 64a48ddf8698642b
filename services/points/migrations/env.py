from services.common.migrations import run_env
from services.points.models import Base

run_env(Base.metadata, version_table="alembic_version_points")
