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

from services.common import embedded_redis
from services.common.signing import load_or_create_secret

# Where the internal hop's secret is kept when INTERNAL_SECRET is unset (under VAR_DIR).
INTERNAL_SECRET_FILE = "internal.secret"


def boards_on_cluster() -> bool:
    """Whether BOARDS_REDIS_CLUSTER_URL is set: the leaderboard's key names, module constants
    every part imports, follow it (services/leaderboard/keys.py); Settings reads the URL."""
    return bool(os.environ.get("BOARDS_REDIS_CLUSTER_URL"))


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """The variable as an int; unset or empty gives the default."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def one_of(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """The variable as one of ``choices`` (any case); unset or empty: the first."""
    raw = env.get(name) or choices[0]
    if raw.lower() not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw.lower()


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """The variable as a yes/no (true/false, yes/no, on/off, 1/0); unset or empty: the default."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    if raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise ValueError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    # Each part of the platform with its default port; the parts that own SQL data are those
    # in ``SQL_PARTS``. Filled in by the platform's subclass.
    PARTS: ClassVar[Mapping[str, int]] = {}
    SQL_PARTS: ClassVar[tuple[str, ...]] = ()
    # The parts that face other machines and listen on ``host``; all others listen on
    # ``service_host`` (loopback by default), so exposing the front door exposes nothing else.
    PUBLIC_PARTS: ClassVar[tuple[str, ...]] = ()

    var_dir: Path = Path("var")
    host: str = "127.0.0.1"
    service_host: str = "127.0.0.1"
    # The internal hop's shared secret; empty: the one kept in VAR_DIR/internal.secret.
    internal_secret: str = ""
    ports: dict[str, int] = field(default_factory=dict)
    service_urls: dict[str, str] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)
    redis_url: str = ""
    embedded_redis_port: int = 6380
    # True when REDIS_URL is unset: `make run` then starts its own redis-server under var/,
    # with the password kept in var/redis.secret (services.common.embedded_redis).
    redis_embedded: bool = True
    # The embedded Redis's memory limit (its `maxmemory`; "0": none). It never evicts.
    redis_maxmemory: str = "1gb"
    # Which redis-server the embedded Redis runs: "auto", "system" or "bundled".
    embedded_redis_server: str = embedded_redis.SERVER_CHOICES[0]
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
    # One JSON line per request on stderr (services.common.access_log).
    access_log: bool = True

    def database_url(self, service: str) -> str:
        return self.database_urls[service]

    def url_of(self, service: str) -> str:
        return self.service_urls[service]

    def bind_host(self, part: str) -> str:
        """The address ``part`` listens on."""
        return self.host if part in self.PUBLIC_PARTS else self.service_host

    def internal_key(self) -> bytes:
        """The secret that signs the internal hop: INTERNAL_SECRET, else the file every
        process under one VAR_DIR shares, made on first use."""
        if self.internal_secret:
            return self.internal_secret.encode()
        return load_or_create_secret(self.var_dir / INTERNAL_SECRET_FILE)

    def with_overrides(self, **changes: Any) -> Self:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        var_dir = Path(env.get("VAR_DIR", "var")).resolve()
        host = env.get("HOST", "127.0.0.1")
        service_host = env.get("SERVICE_HOST", "127.0.0.1")
        ports = {s: whole_number(env, f"{s.upper()}_PORT", p) for s, p in cls.PARTS.items()}
        urls = {
            s: env.get(
                f"{s.upper()}_URL",
                f"http://{host if s in cls.PUBLIC_PARTS else service_host}:{ports[s]}",
            ).rstrip("/")
            for s in cls.PARTS
        }
        shared_db = env.get("DATABASE_URL")
        dbs = {
            s: env.get(f"{s.upper()}_DATABASE_URL") or shared_db or f"sqlite:///{var_dir / s}.db"
            for s in cls.SQL_PARTS
        }
        embedded_port = whole_number(env, "EMBEDDED_REDIS_PORT", 6380)
        # Unset: the Redis `make run` starts, with the password it keeps under VAR_DIR, so
        # nobody has to put the password in a variable or on a command line.
        redis_url = env.get("REDIS_URL") or embedded_redis.embedded_url(
            embedded_port, embedded_redis.saved_password(var_dir)
        )
        return cls(
            var_dir=var_dir,
            host=host,
            service_host=service_host,
            internal_secret=env.get("INTERNAL_SECRET", ""),
            ports=ports,
            service_urls=urls,
            database_urls=dbs,
            redis_url=redis_url,
            embedded_redis_port=embedded_port,
            redis_embedded=not env.get("REDIS_URL"),
            redis_maxmemory=env.get("REDIS_MAXMEMORY", "1gb"),
            embedded_redis_server=one_of(
                env, "EMBEDDED_REDIS_SERVER", embedded_redis.SERVER_CHOICES
            ),
            org_timezone=env.get("ORG_TIMEZONE", "Asia/Shanghai"),
            web_workers=whole_number(env, "WEB_WORKERS", 2),
            log_level=env.get("LOG_LEVEL", "info"),
            upstream_timeout=float(env.get("UPSTREAM_TIMEOUT", "10")),
            db_lock_timeout=float(env.get("DB_LOCK_TIMEOUT", cls.db_lock_timeout)),
            rules_cache_seconds=float(env.get("RULES_CACHE_SECONDS", "5")),
            max_batch=whole_number(env, "MAX_BATCH", 1000),
            max_body_bytes=whole_number(env, "MAX_BODY_BYTES", 2 * 1024 * 1024),
            projection_interval=whole_number(env, "PROJECTION_INTERVAL", 30),
            access_log=switch(env, "ACCESS_LOG", True),
        )
