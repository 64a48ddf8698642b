"""Database wiring: one engine per service, sessions whose lifecycle the caller owns.

    with db.write() as session:   # one transaction; commits on success, rolls back on error
        ...
    with db.read() as session:
        ...

SQLite is the embedded default. Two settings make it safe under several gunicorn workers:
WAL (readers never block the writer) and ``BEGIN IMMEDIATE`` for write transactions, so two
writers queue on the busy timeout instead of failing with "database is locked" when a read
lock cannot be upgraded.

Waiting for a lock is bounded on both backends (``DB_LOCK_TIMEOUT``: SQLite's busy timeout,
PostgreSQL's ``lock_timeout``), below ``UPSTREAM_TIMEOUT`` (how long a caller waits for an
answer): a database locked by someone else answers 503 with ``Retry-After`` from the service
itself, instead of a request that hangs, holds a pooled connection and ends as its caller's
timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import DateTime, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from services.common.config import Settings

DEFAULT_LOCK_TIMEOUT = Settings.db_lock_timeout  # seconds


def _prepare_sqlite(engine: Engine, lock_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, say when a transaction begins (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def normalize_url(url: str) -> str:
    """Let DATABASE_URL be the usual ``postgresql://`` form; we ship the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": lock_timeout, "check_same_thread": False}
        )
        _prepare_sqlite(engine, lock_timeout)
        return engine
    return create_engine(
        _with_lock_timeout(url, lock_timeout), pool_pre_ping=True, pool_size=5, max_overflow=10
    )


def _with_lock_timeout(url: str, lock_timeout: float) -> str:
    """The URL with ``lock_timeout`` (and a connect timeout) added to its connection options,
    beside any it already has (a private schema's ``search_path``, say); a ``lock_timeout``
    already given there wins. Options sent at connect time hold for the whole session, unlike
    a ``SET`` that a rolled-back transaction undoes."""
    parsed = make_url(url)
    given = parsed.query.get("options", ())
    options = [given] if isinstance(given, str) else list(given)
    if not any("lock_timeout" in option for option in options):
        options.append(f"-c lock_timeout={int(lock_timeout * 1000)}")
    query = {"options": " ".join(options)}
    if "connect_timeout" not in parsed.query:
        query["connect_timeout"] = str(max(1, round(lock_timeout)))
    return parsed.update_query_dict(query).render_as_string(hide_password=False)


class Database:
    def __init__(self, url: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.url = url
        self.engine = make_engine(url, lock_timeout)
        self.is_sqlite = url.startswith("sqlite")
        writer = self.engine.execution_options(sqlite_immediate=True)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._writer.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    def dispose(self) -> None:
        """Drop pooled connections, e.g. after a fork: they must never be shared across one."""
        self.engine.dispose()


def init_db(app: Flask, url: str, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> Database:
    db = Database(url, lock_timeout)
    app.extensions["db"] = db
    return db


def current_db() -> Database:
    db: Database = current_app.extensions["db"]
    return db


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, stored naive-UTC on every backend.

    SQLite has no time zones; storing naive UTC everywhere keeps SQLite and PostgreSQL alike.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing a naive datetime: stored times are UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
