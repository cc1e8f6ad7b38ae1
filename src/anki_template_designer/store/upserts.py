"""INSERT … ON CONFLICT DO NOTHING, in the dialect of the database at hand.

The dialect modules are imported when first used: SQLAlchemy's PostgreSQL dialect takes
tens of milliseconds to import, which a SQLite workspace (and ``atd serve``'s start) need
not pay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.orm import Session


def insert_new(bind: Connection | Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows``, skipping any whose key is already there (written concurrently)."""
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        bind.execute(postgresql_insert(table).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        bind.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)
    else:
        bind.execute(insert(table), rows)
