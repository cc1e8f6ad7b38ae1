"""Run the store's Alembic migrations from code; no alembic.ini is needed at run time.

The migration scripts ship inside the package (``store/migrations``), so an
installed wheel can create and upgrade a workspace database by itself.

Alembic is imported only when a database actually needs migrating: importing it and
reading the scripts costs a few hundred milliseconds, much of ``atd serve``'s start.
:data:`HEAD` names the newest script so that the check is one query, and a new database
is created straight from the tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)

from .engine import WRITE, create_store_engine

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0003"
"""The newest migration script (a test checks it against the scripts)."""

MIGRATIONS = Path(__file__).with_name("migrations")
# An arbitrary constant: the PostgreSQL advisory lock held while migrating.
_LOCK_KEY = 0x61746400


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of the package, read from the scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


@contextmanager
def _connection(target: str | Engine) -> Iterator[Connection]:
    engine = create_store_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            connection.execution_options(**WRITE)
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Two server instances starting at once must not both create the tables.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
                yield connection
    finally:
        if isinstance(target, str):
            engine.dispose()


def upgrade(target: str | Engine, revision: str = "head") -> None:
    """Migrate the database at ``target`` (a URL or an engine) up to ``revision``.

    An empty database going to ``"head"`` gets the tables created as they are now and is
    marked as at :data:`HEAD`, without running (or importing) Alembic: a test checks that
    this builds the same schema as the migrations. Name a revision to run the migrations.
    """
    with _connection(target) as connection:
        if revision == "head":
            version = _version(connection)
            if version == HEAD:
                return
            if version is None and not inspect(connection).get_table_names():
                _create_at_head(connection)
                return
        from alembic import command

        command.upgrade(alembic_config(connection), revision)


def _create_at_head(connection: Connection) -> None:
    from .tables import Base

    Base.metadata.create_all(connection)
    # The table and constraint Alembic itself creates to record the version.
    versions = Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )
    versions.create(connection)
    connection.execute(versions.insert(), {"version_num": HEAD})


def downgrade(target: str | Engine, revision: str) -> None:
    """Migrate the database at ``target`` down to ``revision`` (``"base"`` drops every table)."""
    from alembic import command

    with _connection(target) as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(target: str | Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with _connection(target) as connection:
        return _version(connection)


def _version(connection: Connection) -> str | None:
    # What Alembic's MigrationContext.get_current_revision reads, without importing Alembic.
    if not inspect(connection).has_table("alembic_version"):
        return None
    versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = list(versions)
    if len(found) > 1:
        raise RuntimeError(f"the workspace database has several migration heads: {found}")
    return found[0] if found else None
