"""A workspace: the database of note types, their samples, media and revision history.

``Workspace.open()`` takes a folder (the database is ``workspace.sqlite3`` in it)
or a database URL (``postgresql+psycopg://…``); with no argument it uses
``ATD_DATABASE_URL`` or, failing that, the user data folder. Opening runs the
migrations. Every method is one transaction; every change is a revision.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from sqlalchemy import URL, Engine, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..core.model import NoteTypeKind
from ..formats.bundle import NoteTypeBundle
from . import editing, migrate, repository
from .diffing import diff_bundles
from .engine import WRITE, create_store_engine
from .errors import Conflict, StoreError
from .records import NoteTypeSummary, Revision, RevisionContent
from .snapshot import bundle_from_snapshot
from .tables import CardTypeRow, FieldRow, MetaRow, NoteTypeRow, RevisionRow

DATABASE_FILE = "workspace.sqlite3"
DATABASE_URL_ENV = "ATD_DATABASE_URL"
APP_NAME = "anki-template-designer"


def default_folder() -> Path:
    """The workspace folder used when none is given: the user data folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_url(location: str | os.PathLike[str] | None = None) -> str:
    """The database URL for a folder, a URL, or None (``ATD_DATABASE_URL``, else the default)."""
    if location is None:
        location = os.environ.get(DATABASE_URL_ENV) or default_folder()
    text = os.fspath(location)
    if "://" in text or text.startswith("sqlite:"):
        return text
    folder = Path(text).expanduser()
    if folder.exists() and not folder.is_dir():
        raise StoreError(
            f"workspace {folder} is a file; pass the folder that holds {DATABASE_FILE}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    url = URL.create("sqlite", database=str(folder.resolve() / DATABASE_FILE))
    return url.render_as_string(hide_password=False)


class Workspace:
    """Note types with samples, media and history, in SQLite or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, location: str | os.PathLike[str] | None = None) -> Workspace:
        """Open (creating and migrating as needed) the workspace at a folder or database URL."""
        engine = create_store_engine(database_url(location))
        try:
            migrate.upgrade(engine)
            workspace = cls(engine)
            workspace._ensure_meta()
        except BaseException:
            engine.dispose()
            raise
        return workspace

    def close(self) -> None:
        """Release every database connection."""
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL, password hidden (fit for logs and messages)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                session.connection(execution_options=WRITE)
                yield session
        except IntegrityError as exc:
            # Only a concurrent writer gets here: every rule is checked before writing.
            raise Conflict(
                f"the workspace changed while saving ({exc.orig}); reload and try again",
                expected=None,
                current=None,
            ) from None

    def _ensure_meta(self) -> None:
        facts = {"workspace_id": uuid.uuid4().hex, "created_at": datetime.now(UTC).isoformat()}
        with self._write() as session:
            rows = [{"key": key, "value": value} for key, value in facts.items()]
            if session.get_bind().dialect.name == "postgresql":
                session.execute(postgresql_insert(MetaRow).on_conflict_do_nothing(), rows)
            else:
                session.execute(sqlite_insert(MetaRow).on_conflict_do_nothing(), rows)

    def meta(self) -> dict[str, str]:
        """Workspace facts: ``workspace_id`` (stable across moves) and ``created_at``."""
        with self._read() as session:
            return {row.key: row.value for row in session.scalars(select(MetaRow))}

    # Note types

    def save_notetype(
        self,
        bundle: NoteTypeBundle,
        author: str,
        *,
        notetype_id: str | None = None,
        expected_revision: int | None = None,
        summary: str = "save",
    ) -> Revision:
        """Save ``bundle`` as a new revision; identical content returns the current revision.

        With ``notetype_id`` the note type with that id is updated (and may be renamed);
        without it, the one with the bundle's name, or a new one. ``expected_revision``
        is the revision the caller edited: if another save came since, Conflict.
        """
        with self._write() as session:
            row: NoteTypeRow | None
            if notetype_id is not None:
                row = repository.find_notetype(session, notetype_id, lock=True)
            else:
                row = repository.find_notetype_or_none(
                    session, bundle.notetype.name, lock=True, by_id=False
                )
            repository.check_expected(row, expected_revision, bundle.notetype.name)
            return repository.save(session, bundle, row=row, author=author, summary=summary)

    def create_notetype(self, bundle: NoteTypeBundle, author: str) -> Revision:
        """Add a new note type; DuplicateName if the name is taken."""
        with self._write() as session:
            return repository.save(session, bundle, row=None, author=author, summary="create")

    def import_bundles(
        self, bundles: Iterable[NoteTypeBundle], author: str, *, summary: str = "import"
    ) -> list[Revision]:
        """Save several bundles in one transaction, each updating the note type of its name."""
        items = list(bundles)
        # Lock rows in name order: two concurrent imports then cannot deadlock on PostgreSQL.
        order = sorted(range(len(items)), key=lambda index: items[index].notetype.name)
        revisions: dict[int, Revision] = {}
        with self._write() as session:
            for index in order:
                bundle = items[index]
                name = bundle.notetype.name
                row = repository.find_notetype_or_none(session, name, lock=True, by_id=False)
                revisions[index] = repository.save(
                    session, bundle, row=row, author=author, summary=summary
                )
        return [revisions[index] for index in range(len(items))]

    def get_notetype(self, name_or_id: str) -> NoteTypeBundle:
        """The current note type, samples and media, by stable id or exact name."""
        with self._read() as session:
            return repository.load_bundle(session, repository.find_notetype(session, name_or_id))

    def notetype_summary(self, name_or_id: str) -> NoteTypeSummary:
        """One note type's library entry (id, current revision, field and card type names)."""
        with self._read() as session:
            row = repository.find_notetype(session, name_or_id)
            return self._summaries(session, [row])[0]

    def list_notetypes(self, search: str = "") -> list[NoteTypeSummary]:
        """Note types whose name contains ``search`` (ignoring case), sorted by name."""
        needle = search.casefold()
        with self._read() as session:
            rows = [
                row for row in session.scalars(select(NoteTypeRow)) if needle in row.name.casefold()
            ]
            rows.sort(key=lambda row: (row.name.casefold(), row.name))
            return self._summaries(session, rows)

    def _summaries(self, session: Session, rows: list[NoteTypeRow]) -> list[NoteTypeSummary]:
        ids = [row.id for row in rows]
        fields: dict[str, list[str]] = {id_: [] for id_ in ids}
        cards: dict[str, list[str]] = {id_: [] for id_ in ids}
        for target, table in ((fields, FieldRow), (cards, CardTypeRow)):
            query = (
                select(table.notetype_id, table.name)
                .where(table.notetype_id.in_(ids))
                .order_by(table.notetype_id, table.ord)
            )
            for notetype_id, name in session.execute(query).all():
                target[notetype_id].append(name)
        return [
            NoteTypeSummary(
                id=row.id,
                name=row.name,
                kind=NoteTypeKind(row.kind),
                current_revision=row.current_revision,
                field_names=tuple(fields[row.id]),
                card_type_names=tuple(cards[row.id]),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
            for row in rows
        ]

    def delete_notetype(self, name_or_id: str, *, expected_revision: int | None = None) -> None:
        """Delete a note type and its whole history; media nothing else uses go too."""
        with self._write() as session:
            row = repository.find_notetype(session, name_or_id, lock=True)
            repository.check_expected(row, expected_revision, row.name)
            repository.delete_notetype(session, row)

    # History

    def revisions(self, name_or_id: str) -> list[Revision]:
        """Every revision of a note type, newest first."""
        with self._read() as session:
            row = repository.find_notetype(session, name_or_id)
            query = (
                select(RevisionRow)
                .where(RevisionRow.notetype_id == row.id)
                .order_by(RevisionRow.id.desc())
            )
            return [repository.revision_record(r) for r in session.scalars(query)]

    def get_revision(self, revision_id: int) -> RevisionContent:
        """A revision and the note type, samples and media it saved."""
        with self._read() as session:
            return self._revision_content(session, revision_id)

    def _revision_content(self, session: Session, revision_id: int) -> RevisionContent:
        row = repository.find_revision(session, revision_id)
        blobs = repository.blobs(session, row.snapshot["media"].values())
        return RevisionContent(
            repository.revision_record(row), bundle_from_snapshot(row.snapshot, blobs)
        )

    def diff_revision(self, revision_id: int) -> str:
        """A unified diff from a revision to the current state, file by file; "" if the same."""
        with self._read() as session:
            old = self._revision_content(session, revision_id)
            row = repository.find_notetype(session, old.revision.notetype_id)
            current = repository.load_bundle(session, row)
        return diff_bundles(
            old.bundle, current, f"revision-{revision_id}", f"revision-{row.current_revision}"
        )

    def restore_revision(
        self, revision_id: int, author: str, *, expected_revision: int | None = None
    ) -> Revision:
        """Make a revision's content current again, as a new revision (none if already current)."""
        with self._write() as session:
            old = self._revision_content(session, revision_id)
            row = repository.find_notetype(session, old.revision.notetype_id, lock=True)
            repository.check_expected(row, expected_revision, row.name)
            return repository.save(
                session,
                old.bundle,
                row=row,
                author=author,
                summary=f"restore revision {revision_id}",
            )

    # Edits that touch templates

    def rename_field(
        self,
        name_or_id: str,
        old: str,
        new: str,
        *,
        author: str,
        expected_revision: int | None = None,
    ) -> Revision:
        """Rename a field and every reference to it in templates and sample notes."""
        return self._rename(
            name_or_id, editing.rename_field, "field", old, new, author, expected_revision
        )

    def rename_card_type(
        self,
        name_or_id: str,
        old: str,
        new: str,
        *,
        author: str,
        expected_revision: int | None = None,
    ) -> Revision:
        """Rename a card type (templates refer to card types only through ``{{Card}}``)."""
        return self._rename(
            name_or_id, editing.rename_card_type, "card type", old, new, author, expected_revision
        )

    def _rename(
        self,
        name_or_id: str,
        rename: Callable[[NoteTypeBundle, str, str], NoteTypeBundle],
        what: str,
        old: str,
        new: str,
        author: str,
        expected_revision: int | None,
    ) -> Revision:
        with self._write() as session:
            row = repository.find_notetype(session, name_or_id, lock=True)
            repository.check_expected(row, expected_revision, row.name)
            bundle = rename(repository.load_bundle(session, row), old, new)
            summary = f"rename {what} {old!r} to {new!r}"
            return repository.save(session, bundle, row=row, author=author, summary=summary)
