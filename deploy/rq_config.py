"""Settings for ``rq worker --config deploy.rq_config``: the worker's Redis, from the platform's
settings.

The URL (with the password of the embedded Redis) is read here, inside the worker, from its
environment: given as ``--url`` it would sit on the worker's command line, which anyone on the
machine can read with ``ps``.
"""

from __future__ import annotations

from services.settings import Settings

REDIS_URL = Settings.from_env().redis_url
