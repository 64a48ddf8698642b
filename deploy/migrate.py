"""Every database of the platform, created or upgraded: what `make run` and the tests call.

Each part that owns SQL data has its own Alembic history (``<package>/migrations/``) and its own
version table, so several parts can share one PostgreSQL database.
"""

from __future__ import annotations

from services.common.migrations import upgrade
from services.settings import Settings

# The parts that own SQL data, with the package that holds their migrations.
MIGRATED = {
    "gateway": "gateway",
    "points": "services.points",
    "rewards": "services.rewards",
    "leaderboard": "services.leaderboard",
}


def migrate(settings: Settings, *, quiet: bool = False) -> None:
    for part, package in MIGRATED.items():
        upgrade(package, settings.database_url(part))
        if not quiet:
            print(f"migrated {part}: {settings.database_url(part)}")
