"""Engines for a workspace database URL, with SQLite set up for a multi-threaded server.

SQLite: foreign keys on, WAL journal (readers never wait for the writer), a busy
timeout instead of instant "database is locked" errors, and transactions begun
by SQLAlchemy rather than by Python's sqlite3 module. A write transaction starts
with ``BEGIN IMMEDIATE``: it takes the write lock before its first read, so the
revision it checks cannot change before it writes (a deferred transaction would
fail with SQLITE_BUSY when it tried to upgrade its lock).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

# Pass as ``Session.connection(execution_options=WRITE)`` before the first statement.
WRITE: dict[str, Any] = {"atd_write": True}
_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str) -> URL:
    """``url`` parsed; ``postgresql://`` and ``postgres://`` get the bundled psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        # SQLAlchemy would pick psycopg2, which is not installed.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_store_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get the pragmas the store relies on."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every checkout would see a new empty database.
        engine = create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
    _prepare_sqlite(engine, wal=not in_memory)
    return engine


def _prepare_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Autocommit at the driver level; SQLAlchemy's "begin" hook emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("atd_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
