"""Typed settings read from the environment, with defaults that run at once.

Every setting has exactly one variable; the README lists them all. With no variables set the
platform runs on SQLite files under ``var/`` and on the Redis that ``make run`` starts itself.

This is the machinery, and it knows no part of the platform by name: per-part settings (ports,
URLs, databases) are read for the parts a subclass lists in ``PARTS``. The platform's own
subclass, with its parts, is ``services.settings.Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Self


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """The variable as an int; unset or empty gives the default."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    # Each part of the platform with its default port; the parts that own SQL data are those
    # in ``SQL_PARTS``. Filled in by the platform's subclass.
    PARTS: ClassVar[Mapping[str, int]] = {}
    SQL_PARTS: ClassVar[tuple[str, ...]] = ()

    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)
    service_urls: dict[str, str] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)
    redis_url: str = ""
    embedded_redis_port: int = 6380
    # True when REDIS_URL is unset: `make run` then starts its own redis-server under var/.
    redis_embedded: bool = True
    org_timezone: str = "Asia/Shanghai"
    web_workers: int = 2
    log_level: str = "info"
    upstream_timeout: float = 10.0
    # How long a statement waits for a database lock before the request answers 503: below
    # upstream_timeout, so the answer is the service's own (services.common.db).
    db_lock_timeout: float = 8.0
    rules_cache_seconds: float = 5.0
    max_batch: int = 1000
    max_body_bytes: int = 2 * 1024 * 1024
    projection_interval: int = 30

    def database_url(self, service: str) -> str:
        return self.database_urls[service]

    def url_of(self, service: str) -> str:
        return self.service_urls[service]

    def with_overrides(self, **changes: Any) -> Self:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        var_dir = Path(env.get("VAR_DIR", "var")).resolve()
        host = env.get("HOST", "127.0.0.1")
        ports = {s: whole_number(env, f"{s.upper()}_PORT", p) for s, p in cls.PARTS.items()}
        urls = {
            s: env.get(f"{s.upper()}_URL", f"http://{host}:{ports[s]}").rstrip("/")
            for s in cls.PARTS
        }
        shared_db = env.get("DATABASE_URL")
        dbs = {
            s: env.get(f"{s.upper()}_DATABASE_URL") or shared_db or f"sqlite:///{var_dir / s}.db"
            for s in cls.SQL_PARTS
        }
        embedded_port = whole_number(env, "EMBEDDED_REDIS_PORT", 6380)
        return cls(
            var_dir=var_dir,
            host=host,
            ports=ports,
            service_urls=urls,
            database_urls=dbs,
            redis_url=env.get("REDIS_URL") or f"redis://127.0.0.1:{embedded_port}/0",
            embedded_redis_port=embedded_port,
            redis_embedded=not env.get("REDIS_URL"),
            org_timezone=env.get("ORG_TIMEZONE", "Asia/Shanghai"),
            web_workers=whole_number(env, "WEB_WORKERS", 2),
            log_level=env.get("LOG_LEVEL", "info"),
            upstream_timeout=float(env.get("UPSTREAM_TIMEOUT", "10")),
            db_lock_timeout=float(env.get("DB_LOCK_TIMEOUT", cls.db_lock_timeout)),
            rules_cache_seconds=float(env.get("RULES_CACHE_SECONDS", "5")),
            max_batch=whole_number(env, "MAX_BATCH", 1000),
            max_body_bytes=whole_number(env, "MAX_BODY_BYTES", 2 * 1024 * 1024),
            projection_interval=whole_number(env, "PROJECTION_INTERVAL", 30),
        )
