"""The platform's settings: ``services.common.config.Settings`` with the platform's parts.

Every part has a port (``<PART>_PORT``) and a URL (``<PART>_URL``) where the others find it;
the parts that own SQL data each have a database (``<PART>_DATABASE_URL``, else
``DATABASE_URL``, else a SQLite file under ``VAR_DIR``). The settings of single parts (how the
gateway and the services behind it are served, the ticker's archiving, the demo's key) are read
here too, so that no module reads the environment itself. The README's configuration table
lists every variable; ``tests/unit/test_settings.py`` holds the two against each other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Self

from limits import parse_many

from services.common import config

SECURE_CHOICES = ("auto", "true", "false")  # the first is the default
UNKNOWN_CHOICES = ("ad_hoc", "refuse")  # services/points/intake/references.py


@dataclass(frozen=True)
class Settings(config.Settings):
    PARTS: ClassVar[dict[str, int]] = {
        "gateway": 8000,
        "points": 8001,
        "rewards": 8002,
        "leaderboard": 8003,
    }
    SQL_PARTS: ClassVar[tuple[str, ...]] = ("gateway", "points", "rewards", "leaderboard")
    # Only the gateway faces other machines (HOST); the services behind it listen on
    # SERVICE_HOST, loopback by default, and answer signed requests only.
    PUBLIC_PARTS: ClassVar[tuple[str, ...]] = ("gateway",)

    # "service=module:factory,..." served inside the gateway's process (gateway/in_process.py).
    # None when unset: the gateway alone then serves none, and `make run` picks its own list
    # (deploy/processes.py); set it empty to send every hop over HTTP.
    gateway_in_process: str | None = None
    # How gunicorn serves the services behind the gateway (deploy/processes.py).
    service_worker_class: str = "gthread"
    service_threads: int = 4
    # A node of the Redis Cluster that holds the boards (redis-py's RedisCluster); the queues
    # stay on REDIS_URL, as RQ does not support Cluster. Empty: the boards live on REDIS_URL.
    # The leaderboard's key names follow it too (services/leaderboard/keys.py).
    boards_redis_cluster_url: str = ""
    # Seconds between the ticker's requests to archive closed periods.
    archive_interval: int = 3600
    # The admin key `make demo` posts with; empty: one made once and kept under VAR_DIR.
    demo_api_key: str = ""
    # People's sign-in (gateway/tokens.py, gateway/throttle.py): token and reset code lifetimes,
    # and how many failed sign-ins per account and per address a window allows.
    access_token_seconds: int = 900
    refresh_token_seconds: int = 14 * 24 * 3600
    reset_code_seconds: int = 24 * 3600
    signin_account_failures: int = 5
    signin_address_failures: int = 20
    signin_window_seconds: int = 900
    # A browser's session (gateway/session.py): how long the cookie's sign-in lasts, and whether
    # the cookie is marked Secure: "auto" (when the request came over https), "true", "false".
    session_seconds: int = 8 * 3600
    session_cookie_secure: str = "auto"
    # How many proxies stand in front of the gateway (nginx terminating TLS, a load balancer):
    # the gateway believes X-Forwarded-For and X-Forwarded-Proto from that many hops (0: none),
    # so rate limits, the audit log and the Secure cookie see the real client.
    trusted_proxies: int = 0
    # Requests per caller and window at the gateway (gateway/rate_limits.py), by class of
    # request, in the rate limit notation ("6000/minute", "100 per 10 seconds").
    rate_limit_enabled: bool = True
    rate_limit_read: str = "6000/minute"
    rate_limit_write: str = "1200/minute"
    rate_limit_events: str = "12000/minute"
    rate_limit_anonymous: str = "300/minute"
    # What an event naming a study session or quiz the platform does not know becomes
    # (services/points/intake/references.py): "ad_hoc" (recorded as sent) or "refuse" (422).
    unknown_activity: str = UNKNOWN_CHOICES[0]
    # Study sessions (services/points/sessions/): the grace after a session's start within which
    # a sign-in is on time, unless the session sets its own; how long after its end a session
    # is closed by itself; and the seconds between the ticker's requests to close such sessions.
    session_grace_minutes: int = 10
    session_close_after: int = 60
    session_close_interval: int = 60
    # Most data rows an imported table may hold (services/points/imports); the file itself is
    # held to MAX_BODY_BYTES, as every request body is.
    import_max_rows: int = 5_000
    # Practice reports (services/points/reports/): days a submitted report may wait for its
    # review before it is escalated to its unit's admins, and how often the ticker looks; how
    # alike (rapidfuzz ratio, 0-100) an earlier report must be to be flagged as a near copy;
    # the largest attachment in bytes.
    report_review_days: int = 7
    report_escalation_interval: int = 900
    report_similarity_threshold: int = 85
    report_attachment_max_bytes: int = 1024 * 1024
    # Days an export's file is kept under VAR_DIR/exports before it is removed
    # (services/points/exports/files.py).
    export_keep_days: int = 7
    # Outbound delivery (services/points/delivery/): attempts per delivery, the first retry's
    # wait in seconds (doubled at each further attempt), the wait for a receiver's answer, and
    # the seconds between the ticker's sweeps of deliveries due; the SMTP server e-mails go by.
    delivery_attempts: int = 5
    delivery_backoff_seconds: int = 30
    delivery_timeout: int = 10
    delivery_interval: int = 30
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "learning@localhost"
    smtp_starttls: bool = False
    # Nudges (services/points/nudges/): days within which a member is not nudged twice.
    nudge_cooldown_days: int = 7

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        env = os.environ if env is None else env
        return (
            super()
            .from_env(env)
            .with_overrides(
                gateway_in_process=env.get("GATEWAY_IN_PROCESS"),
                service_worker_class=env.get("SERVICE_WORKER_CLASS", "gthread"),
                service_threads=config.whole_number(env, "SERVICE_THREADS", 4),
                archive_interval=config.whole_number(env, "ARCHIVE_INTERVAL", 3600),
                boards_redis_cluster_url=env.get("BOARDS_REDIS_CLUSTER_URL", ""),
                demo_api_key=env.get("DEMO_API_KEY", ""),
                access_token_seconds=config.whole_number(env, "ACCESS_TOKEN_SECONDS", 900),
                refresh_token_seconds=config.whole_number(
                    env, "REFRESH_TOKEN_SECONDS", 14 * 24 * 3600
                ),
                reset_code_seconds=config.whole_number(env, "RESET_CODE_SECONDS", 24 * 3600),
                signin_account_failures=config.whole_number(env, "SIGNIN_ACCOUNT_FAILURES", 5),
                signin_address_failures=config.whole_number(env, "SIGNIN_ADDRESS_FAILURES", 20),
                signin_window_seconds=config.whole_number(env, "SIGNIN_WINDOW_SECONDS", 900),
                session_seconds=config.whole_number(env, "SESSION_SECONDS", 8 * 3600),
                session_cookie_secure=config.one_of(env, "SESSION_COOKIE_SECURE", SECURE_CHOICES),
                trusted_proxies=_at_least_zero(env, "TRUSTED_PROXIES", 0),
                rate_limit_enabled=config.switch(env, "RATE_LIMIT_ENABLED", True),
                rate_limit_read=rate_limit(env, "RATE_LIMIT_READ", cls.rate_limit_read),
                rate_limit_write=rate_limit(env, "RATE_LIMIT_WRITE", cls.rate_limit_write),
                rate_limit_events=rate_limit(env, "RATE_LIMIT_EVENTS", cls.rate_limit_events),
                rate_limit_anonymous=rate_limit(
                    env, "RATE_LIMIT_ANONYMOUS", cls.rate_limit_anonymous
                ),
                unknown_activity=config.one_of(env, "UNKNOWN_ACTIVITY", UNKNOWN_CHOICES),
                session_grace_minutes=config.whole_number(env, "SESSION_GRACE_MINUTES", 10),
                session_close_after=config.whole_number(env, "SESSION_CLOSE_AFTER", 60),
                session_close_interval=config.whole_number(env, "SESSION_CLOSE_INTERVAL", 60),
                import_max_rows=config.whole_number(env, "IMPORT_MAX_ROWS", 5_000),
                report_review_days=config.whole_number(env, "REPORT_REVIEW_DAYS", 7),
                report_escalation_interval=config.whole_number(
                    env, "REPORT_ESCALATION_INTERVAL", 900
                ),
                report_similarity_threshold=_percent(env, "REPORT_SIMILARITY_THRESHOLD", 85),
                report_attachment_max_bytes=config.whole_number(
                    env, "REPORT_ATTACHMENT_MAX_BYTES", 1024 * 1024
                ),
                export_keep_days=config.whole_number(env, "EXPORT_KEEP_DAYS", 7),
                **_delivery(env),
            )
        )


def _at_least_zero(env: Mapping[str, str], name: str, default: int) -> int:
    value = config.whole_number(env, name, default)
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}")
    return value


def _delivery(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "delivery_attempts": max(1, config.whole_number(env, "DELIVERY_ATTEMPTS", 5)),
        "delivery_backoff_seconds": config.whole_number(env, "DELIVERY_BACKOFF_SECONDS", 30),
        "delivery_timeout": max(1, config.whole_number(env, "DELIVERY_TIMEOUT", 10)),
        "delivery_interval": max(1, config.whole_number(env, "DELIVERY_INTERVAL", 30)),
        "smtp_host": env.get("SMTP_HOST") or "localhost",
        "smtp_port": config.whole_number(env, "SMTP_PORT", 25),
        "smtp_user": env.get("SMTP_USER", ""),
        "smtp_password": env.get("SMTP_PASSWORD", ""),
        "smtp_from": env.get("SMTP_FROM") or "learning@localhost",
        "smtp_starttls": config.switch(env, "SMTP_STARTTLS", False),
        "nudge_cooldown_days": config.whole_number(env, "NUDGE_COOLDOWN_DAYS", 7),
    }


def _percent(env: Mapping[str, str], name: str, default: int) -> int:
    value = config.whole_number(env, name, default)
    if not 0 <= value <= 100:
        raise ValueError(f"{name} must be a percentage from 0 to 100, got {value}")
    return value


def rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    """The variable as one rate limit ("1200/minute"), checked now rather than at a request."""
    raw = (env.get(name) or "").strip() or default
    try:
        (item,) = parse_many(raw)
    except ValueError as exc:  # unparsable, or several limits at once
        raise ValueError(f"{name} must read like '1200/minute', got {raw!r}") from exc
    if item.amount < 1:
        raise ValueError(f"{name} must allow at least one request, got {raw!r}")
    return raw
