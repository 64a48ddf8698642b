"""The configuration's copy in Redis: group member sets, the excluded members, settings.

Written after every change and whenever a reader finds it missing (Redis restarted). The copy
carries the SQL ``config_version``; a writer holding an older version than the one in Redis
leaves it alone, so two writers racing can never leave the older configuration behind.
"""

from __future__ import annotations

from redis import Redis
from redis.exceptions import WatchError

from services.common.redis_client import sync
from services.leaderboard.config.groups import Config
from services.leaderboard.keys import CONFIG_VERSION, EXCLUDED, GROUPS, SETTINGS, group_key


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
