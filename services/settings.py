"""The platform's settings: ``services.common.config.Settings`` with the platform's parts.

Every part has a port (``<PART>_PORT``) and a URL (``<PART>_URL``) where the others find it;
the parts that own SQL data each have a database (``<PART>_DATABASE_URL``, else
``DATABASE_URL``, else a SQLite file under ``VAR_DIR``). The README's configuration table lists
every variable; ``tests/unit/test_settings.py`` holds the two against each other.
"""

from __future__ import annotations

from typing import ClassVar

from services.common import config


class Settings(config.Settings):
    PARTS: ClassVar[dict[str, int]] = {
        "gateway": 8000,
        "points": 8001,
        "rewards": 8002,
        "leaderboard": 8003,
    }
    SQL_PARTS: ClassVar[tuple[str, ...]] = ("gateway", "points", "rewards", "leaderboard")
