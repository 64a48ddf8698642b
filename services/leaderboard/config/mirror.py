"""The configuration's copy in Redis: group member sets, the excluded members, settings.

Written after every change and whenever a reader finds it missing (Redis restarted). The copy
carries the SQL ``config_version``; a writer holding an older version than the one in Redis
leaves it alone, so two writers racing can never leave the older configuration behind.
"""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import WatchError

from services.common.db import Database
from services.common.redis_client import sync
from services.leaderboard.config.groups import Config, load_config
from services.leaderboard.keys import CONFIG_VERSION, EXCLUDED, GROUPS, SETTINGS, group_key

log = logging.getLogger(__name__)


def write_config(redis: Redis, config: Config) -> bool:
    """Copy ``config`` into Redis unless a newer copy is there; True when written."""
    for _ in range(5):
        with redis.pipeline() as pipe:
            try:
                pipe.watch(CONFIG_VERSION, GROUPS)  # type: ignore[no-untyped-call]
                current = sync(pipe.get(CONFIG_VERSION))
                if current is not None and int(current) > config.version:
                    return False
                old_groups = {code.decode() for code in sync(pipe.smembers(GROUPS))}
                pipe.multi()
                for code in old_groups:
                    pipe.delete(group_key(code))
                pipe.delete(EXCLUDED, GROUPS, SETTINGS)
                for code, members in config.groups.items():
                    pipe.sadd(GROUPS, code)
                    if members:
                        pipe.sadd(group_key(code), *members)
                if config.excluded:
                    pipe.sadd(EXCLUDED, *config.excluded)
                pipe.hset(SETTINGS, mapping=config.settings)
                pipe.set(CONFIG_VERSION, config.version)
                pipe.execute()
                return True
            except WatchError:
                continue
    raise RuntimeError("the configuration mirror kept changing under this writer")


def restore_mirror(redis: Redis, db: Database) -> None:
    """Copy the configuration from SQL into Redis again (after a full rebuild: Redis may have
    restarted empty). Reads reload it too when missing, so a database outage here is logged
    and must not fail the rebuild."""
    try:
        with db.read() as session:
            write_config(redis, load_config(session))
    except Exception as exc:  # noqa: BLE001 - see above
        log.warning("could not mirror the leaderboard configuration: %s", exc)
