"""Engine factory: URL handling, pool settings, SQLite pragmas and transaction modes."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import sessionmaker

from overload_tui import paths

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long opening a PostgreSQL connection may take before the call fails as "cannot reach the
# database" (libpq's default is to wait forever on a host that drops packets).
PG_CONNECT_TIMEOUT_S = 10


def default_database_url() -> str:
    return f"sqlite:///{paths.data_dir() / 'overload.db'}"


def resolve_url(database_url: str | None = None) -> URL:
    """The URL to use: the argument, else $DATABASE_URL, else an SQLite file in the data dir.

    A bare ``postgresql://`` (or ``postgres://``) means psycopg2, the driver this project ships,
    whatever SQLAlchemy's own default for that scheme is (2.1 switched it to psycopg 3).
    """
    raw = database_url or os.environ.get("DATABASE_URL") or default_database_url()
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg2")
    return url


def safe_url(url: URL) -> str:
    """The URL with its password hidden, for messages and logs."""
    return url.render_as_string(hide_password=True)


class _RedactPasswordHashes(logging.Filter):
    """SQLAlchemy's debug log prints result rows, which for users include the bcrypt hash."""

    _HASH = re.compile(r"\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "$2" in message:
            record.msg, record.args = self._HASH.sub("<password hash>", message), None
        return True


_redactor = _RedactPasswordHashes()


def _redact_engine_logs() -> None:
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if _redactor not in logger.filters:
        logger.addFilter(_redactor)


def create_db_engine(url: URL) -> Engine:
    """The engine for ``url``.

    Outages: on PostgreSQL every connection is pinged as the pool hands it out
    (``pool_pre_ping``); a dead one is replaced and, since SQLAlchemy then treats every older
    pooled connection as stale too, one server restart costs one reconnect per connection and
    no failed call. Statement parameters are kept out of logs and error messages
    (``hide_parameters``): they include password hashes and user text; the hashes in logged
    result rows are redacted.
    """
    _redact_engine_logs()
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    connect_args = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    return create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_recycle=3600,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args=connect_args,
    )


def _sqlite_engine(url: URL) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        # 0600 in a 0700 directory when we make them; refused if another user owns it or
        # others can write it (paths.UnsafePathError, one line).
        paths.private_database_file(Path(url.database))
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no branch - runs per connection
        # Let SQLAlchemy's "begin" event decide how transactions start (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock up front, so two terminals wait for each other
        # (busy_timeout) instead of failing on a read-to-write lock upgrade.
        if conn.get_execution_options().get("sqlite_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


@dataclass
class Database:
    """An engine and two session factories: one for reads, one for writes."""

    url: URL
    engine: Engine

    def __post_init__(self) -> None:
        self.read = sessionmaker(self.engine, expire_on_commit=False)
        self.write = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @classmethod
    def connect(cls, database_url: str | None = None) -> Database:
        url = resolve_url(database_url)
        return cls(url=url, engine=create_db_engine(url))

    def dispose(self) -> None:
        self.engine.dispose()
