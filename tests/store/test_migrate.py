"""Migrations run up and down on SQLite and PostgreSQL, and match the ORM tables."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from anki_template_designer.store import Workspace
from anki_template_designer.store.engine import create_store_engine
from anki_template_designer.store.migrate import (
    HEAD,
    MIGRATIONS,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from anki_template_designer.store.tables import Base, RevisionRow

from .helpers import basic_bundle

TABLES = {
    "card_types",
    "fields",
    "media",
    "media_blobs",
    "meta",
    "notetypes",
    "perf_budgets",
    "perf_samples",
    "revision_media",
    "revisions",
    "sample_notes",
}


def _tables(url: str) -> set[str]:
    engine = create_store_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "script.py.mako").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
    assert head_revision() == "0003" == HEAD


def test_upgrade_then_downgrade_to_base_and_up_again(database_url: str) -> None:
    assert current_revision(database_url) is None
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert _tables(database_url) == TABLES
    downgrade(database_url, "base")
    assert current_revision(database_url) is None
    assert _tables(database_url) == set()
    upgrade(database_url)
    assert _tables(database_url) == TABLES


def test_upgrade_is_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == head_revision()


def test_migrated_schema_matches_the_orm_tables(database_url: str) -> None:
    upgrade(database_url, head_revision())  # a named revision: the migrations run
    engine = create_store_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_removes_data_written_by_the_store(database_url: str) -> None:
    with Workspace.open(database_url) as workspace:
        workspace.save_notetype(basic_bundle(), "ann")
    downgrade(database_url, "base")
    assert _tables(database_url) == set()
    with Workspace.open(database_url) as workspace:
        assert workspace.list_notetypes() == []


def test_0002_gives_existing_revisions_their_creation_time_as_start(database_url: str) -> None:
    upgrade(database_url, "0001")
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    engine = create_store_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO notetypes (id, name, kind, css, latex_pre, latex_post, "
                    "sort_field, extra, current_revision, created_at, updated_at) VALUES "
                    "('n1', 'Old', 0, '', '', '', 0, '{}', 1, :at, :at)"
                ),
                {"at": created},
            )
            connection.execute(
                text(
                    "INSERT INTO revisions (id, notetype_id, author, created_at, content_hash, "
                    "summary, snapshot) VALUES (1, 'n1', 'ann', :at, 'h', 'import', '{}')"
                ),
                {"at": created},
            )
        upgrade(database_url)
        with engine.connect() as connection:
            started = connection.execute(select(RevisionRow.started_at)).scalar_one()
        assert started == created
        downgrade(database_url, "0001")
        columns = {c["name"] for c in inspect(engine).get_columns("revisions")}
        assert "started_at" not in columns and "created_at" in columns
        upgrade(database_url)
        assert current_revision(database_url) == head_revision()
    finally:
        engine.dispose()


def test_a_new_database_is_created_at_head_like_the_migrations_build_it(
    database_url: str,
) -> None:
    upgrade(database_url)
    assert current_revision(database_url) == HEAD
    engine = create_store_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    # The migrations take it from there, down and up again.
    downgrade(database_url, "0001")
    assert current_revision(database_url) == "0001"
    upgrade(database_url)
    assert current_revision(database_url) == HEAD
    assert _tables(database_url) == TABLES
